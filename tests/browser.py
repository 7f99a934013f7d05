"""The real browser of the end-to-end tests: Debian's headless Chromium, driven by Playwright.

`browser_page` (tests/conftest.py) gives a test a page; without chromium the test is skipped, or fails
when YJ_REQUIRE_BROWSER=1 (CI installs chromium, see .ci/run)."""

import os
import shutil

import pytest
from django.db import connections

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium():
    if CHROMIUM:
        return
    if os.environ.get("YJ_REQUIRE_BROWSER") == "1":
        pytest.fail("YJ_REQUIRE_BROWSER=1 but no chromium on PATH (apt-get install chromium)")
    pytest.skip("no chromium on PATH (apt-get install chromium)")


def launch(monkeypatch):
    """A fresh browser, for a test that needs several users' pages side by side (a generator: the
    fixture's body)."""
    require_chromium()
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is a development dependency")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are
    # still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
        # Inside Playwright's loop the ORM used a connection of its own: close it before teardown.
        connections.close_all()


def page(monkeypatch, viewport=None):
    """A new page of a fresh browser (a generator: the fixture's body)."""
    for browser in launch(monkeypatch):
        yield browser.new_page(locale="zh-CN", viewport=viewport or {"width": 1280, "height": 900})
