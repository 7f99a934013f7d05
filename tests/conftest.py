"""Shared fixtures: two programs in two counties, and a user for each role.

Each domain test only supplies its data; scoping, change log and query counts are checked the same
way everywhere.
"""

import datetime as dt
import os

import pytest

from tests import browser
from tests import demo_snapshot as snapshots
from tests.factories import make_user
from yuanjiang.accounts.models import Role
from yuanjiang.org import services as org_services
from yuanjiang.org.models import Organization, Program, Region
from yuanjiang.org.services import reference_load

# One county's divisions (伊宁县) instead of Xinjiang's 1 500: tests/test_reference_data.py loads all,
# and YJ_TEST_FULL_REFERENCE=1 runs any test on the whole region (as `./yj demo` and `load_reference` do).
if not os.environ.get("YJ_TEST_FULL_REFERENCE"):
    org_services.DEFAULT_COUNTIES = ("654021",)


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The demo's rows, built once per session (tests/demo_snapshot.py)."""
    with django_db_blocker.unblock():
        return snapshots.build()


@pytest.fixture
def demo(db, demo_snapshot):
    """The demo database (`demo_load()`'s state and result), restored from the session's build."""
    return snapshots.restore(demo_snapshot)


@pytest.fixture
def chromium(monkeypatch):
    """Headless Chromium itself (tests/browser.py), for pages of several users in one test."""
    yield from browser.launch(monkeypatch)


@pytest.fixture
def browser_page(monkeypatch):
    """A page of headless Chromium (tests/browser.py); skipped without chromium unless required."""
    yield from browser.page(monkeypatch)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Passwords hashed with one MD5 round in the tests (production's PBKDF2 takes ~0.3 s of CPU per
    user made or password checked, and most tests make two to four users); PBKDF2 still checks the
    hashes it made. Servers started as subprocesses (tests/ops_support.py) keep the real settings."""
    from django.conf import settings
    from django.test.utils import override_settings

    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    )
    fast.enable()
    yield
    fast.disable()


@pytest.fixture(scope="session", autouse=True)
def _media_per_worker(tmp_path_factory):
    """Uploaded files of the session in a folder of its own (one per pytest-xdist worker), not in var/."""
    from django.conf import settings

    before, settings.MEDIA_ROOT = settings.MEDIA_ROOT, str(tmp_path_factory.mktemp("media"))
    yield
    settings.MEDIA_ROOT = before


@pytest.fixture(scope="session")
def reference_snapshot(django_db_setup, django_db_blocker):
    """The rows `reference_load()` writes, built once per session (tests/demo_snapshot.py)."""
    with django_db_blocker.unblock():
        return snapshots.build(reference_load)


@pytest.fixture
def reference(db, request, reference_snapshot):
    """The reference regions and organizations (`reference_load()`'s state), restored from the
    session's build. A test that also has the demo gets them from the demo (restored first)."""
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo")
    else:
        snapshots.restore_rows(reference_snapshot)
    return None


@pytest.fixture
def program(reference):
    return Program.objects.create(
        slug="nantong-yining-11",
        name="江苏援伊·南通工作组（第十一批）",
        provider=Organization.objects.get(slug="nantong-wg"),
        recipient_region=Region.objects.get(code="654021"),
        batch=11,
        term_start=dt.date(2023, 4, 1),
        term_end=dt.date(2026, 3, 31),
    )


@pytest.fixture
def other_program(reference):
    """A second program, in another county, for scoping tests."""
    county, _ = Region.objects.get_or_create(
        code="654002",
        defaults=dict(name="伊宁市", level=Region.Level.COUNTY, parent=Region.objects.get(code="6540")),
    )
    Region.objects.get_or_create(
        code="654002100", defaults=dict(name="测试街道", level=Region.Level.TOWNSHIP, parent=county)
    )
    return Program.objects.create(
        slug="nanjing-yiningshi-11",
        name="江苏援伊·南京工作组（第十一批）",
        provider=Organization.objects.get(slug="nanjing-wg"),
        recipient_region=county,
        batch=11,
        term_start=dt.date(2023, 4, 1),
        term_end=dt.date(2026, 3, 31),
    )


@pytest.fixture
def clerk(program):
    return make_user("clerk", Role.CLERK, program=program)


@pytest.fixture
def other_clerk(other_program):
    return make_user("other_clerk", Role.CLERK, program=other_program)


@pytest.fixture
def supervisor(program):
    return make_user(
        "supervisor", Role.SUPERVISOR, organization=Organization.objects.get(slug="jiangsu-yili-front")
    )


@pytest.fixture
def auditor(program):
    return make_user("auditor", Role.AUDITOR, organization=Organization.objects.get(slug="jiangsu"))


@pytest.fixture
def no_figure_cache(settings):
    """Figures computed on every call (metrics.cache off): for tests of the engine's own statements."""
    settings.FIGURE_CACHE_SECONDS = 0
