"""Safe by default (issue 7): production settings without any variable, a generated secret key, weak
keys refused, `check --deploy` clean, a Content-Security-Policy the templates keep, login lockout,
password change, session timeouts, password rules."""

import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_user
from yuanjiang.accounts.models import Role
from yuanjiang.core import security

SRC = Path(__file__).resolve().parent.parent / "src" / "yuanjiang"
STRONG_KEY = "k" * 20 + "Zq8-Vd_3nTx9Lm2Wp7Rb4Hs6Jc1Yf5Gu0Ke"
PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k) for k in ("
    "'DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', "
    "'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER')}))"
)


def run_with(env_extra: dict, *args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """The settings as a fresh process sees them: no test runner, only the variables given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YJ_", "DATABASE_URL", "PYTEST"))}
    env.update({"DJANGO_SETTINGS_MODULE": "yuanjiang.config.settings", "YJ_VAR_DIR": str(tmp_path)})
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def settings_of(env_extra, tmp_path) -> dict:
    import json

    done = run_with(env_extra, "-c", PRINT_SETTINGS, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_defaults_are_production_with_a_generated_owner_only_key(tmp_path):
    values = settings_of({}, tmp_path)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True and values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # no proxy declared: X-Forwarded-Proto not trusted
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    assert len(key) >= 50
    # The same key on the next start (sessions survive a restart).
    settings_of({}, tmp_path)
    assert key_file.read_text().strip() == key


def test_debug_only_when_asked_and_proxy_only_when_declared(tmp_path):
    assert settings_of({"YJ_DEBUG": "1"}, tmp_path)["DEBUG"] is True
    proxied = settings_of({"YJ_TRUST_PROXY": "1"}, tmp_path)
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    plain = settings_of({"YJ_HTTPS": "0"}, tmp_path)
    assert plain["SECURE_SSL_REDIRECT"] is False and plain["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize("weak", ["x", "test-only-secret-key", "django-insecure-" + "a1b2c3d4e5" * 5])
def test_a_weak_configured_key_is_refused_with_a_clear_message(tmp_path, weak):
    done = run_with({"YJ_SECRET_KEY": weak}, "-c", PRINT_SETTINGS, tmp_path=tmp_path)
    assert done.returncode != 0
    assert "YJ_SECRET_KEY is too weak" in done.stderr


def test_a_readable_key_file_is_refused(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(STRONG_KEY)
    key_file.chmod(0o644)
    done = run_with({}, "-c", PRINT_SETTINGS, tmp_path=tmp_path)
    assert done.returncode != 0 and "chmod 600" in done.stderr


@pytest.mark.parametrize("proxy", ["0", "1"])
def test_check_deploy_is_clean_under_production_settings(tmp_path, proxy):
    env = {"YJ_ALLOWED_HOSTS": "yuanjiang.example.org", "YJ_TRUST_PROXY": proxy}
    done = run_with(
        env, "-m", "yuanjiang.cli", "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_every_page_carries_a_content_security_policy(client, clerk):
    client.force_login(clerk)
    for url in (reverse("login"), reverse("home"), reverse("projects:aidproject_list"), "/no-such-page/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style[\s>]", re.I), "a <style> element"),
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on… event handler attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


# Standalone documents, never served as a page under the policy: they must carry their styles
# because they are opened as files. The report card's HTML download (Content-Disposition:
# attachment) and PDF source, and the claims command's --html output.
STANDALONE = {"reports/templates/reports/document.html", "claims/templates/claims/report_standalone.html"}


def test_templates_have_no_inline_code_the_policy_would_block():
    """style-src/script-src 'self': inline styles and scripts would be ignored by the browser. Put
    styles in common/static/yj/app.css (there are layout helpers: titlebar, push-right, spaced...),
    scripts in static files (yj/confirm.js asks before a click on an element with data-confirm)."""
    found = []
    for template in SRC.rglob("templates/**/*.html"):
        if template.relative_to(SRC).as_posix() in STANDALONE:
            assert "{% extends" not in template.read_text(encoding="utf-8"), template
            continue
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(SRC)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_the_claims_standalone_report_is_styled_by_the_sites_stylesheet():
    """`claims check --format html` embeds the claims section of app.css itself (no copy to keep in step)."""
    from django.template.loader import render_to_string

    from yuanjiang.claims.views import standalone_css

    css = standalone_css()
    app_css = (SRC / "common/static/yj/app.css").read_text(encoding="utf-8")
    assert ".claims-layout{" in css and ".v-over{" in css and css in app_css
    assert "header.top" not in css  # the section only, not the whole site's stylesheet
    html = render_to_string("claims/report_standalone.html", {"css": css, "items": [], "summary": []})
    assert css in html


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_account_at_this_address(client, program):
    make_user("target", Role.CLERK, program=program)
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _login(client, "target", "wrong-password").status_code == 200
    locked = _login(client, "target", "wrong-password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已暂停" in page and f"{limit} 次" in page
    # Even the right password is refused while locked out.
    again = _login(client, "target", "pw-target")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another user name from the same address is not affected.
    make_user("bystander", Role.CLERK, program=program)
    assert _login(client, "bystander", "pw-bystander").status_code == 302


def test_a_successful_login_resets_the_count(client, program):
    make_user("forgetful", Role.CLERK, program=program)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "forgetful", "wrong-password")
    assert _login(client, "forgetful", "pw-forgetful").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "forgetful", "wrong-password").status_code == 200


def test_password_change_page_is_linked_and_applies_the_rules(client, program):
    user = make_user("changer", Role.CLERK, program=program)
    client.force_login(user)
    page = client.get(reverse("projects:aidproject_list")).content.decode()
    assert f'href="{reverse("password_change")}"' in page and "修改密码" in page
    url = reverse("password_change")
    numeric = client.post(
        url, {"old_password": "pw-changer", "new_password1": "2024010120", "new_password2": "2024010120"}
    )
    assert numeric.status_code == 200 and "密码只包含数字" in numeric.content.decode()
    wrong_old = client.post(
        url, {"old_password": "nope", "new_password1": "Tianshan-2024!", "new_password2": "Tianshan-2024!"}
    )
    assert "旧密码不正确" in wrong_old.content.decode()
    done = client.post(
        url,
        {"old_password": "pw-changer", "new_password1": "Tianshan-2024!", "new_password2": "Tianshan-2024!"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Tianshan-2024!")


@pytest.mark.parametrize(
    ("password", "message"),
    [("20240101", "密码只包含数字"), ("abc", "至少需要 10 个字符"), ("password123", "太常见")],
)
def test_password_rules_speak_chinese(password, message):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert any(message in m for m in caught.value.messages), caught.value.messages


def test_idle_session_is_signed_out(client, clerk):
    client.force_login(clerk)
    url = reverse("projects:aidproject_list")
    assert client.get(url).status_code == 200
    session = client.session
    session[security.SEEN] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "已自动退出" in client.get(response["Location"]).content.decode()


def test_active_session_slides_but_ends_at_the_absolute_age(client, clerk):
    client.force_login(clerk)
    url = reverse("projects:aidproject_list")
    session = client.session
    now = int(time.time())
    session[security.SEEN] = now - settings.SESSION_IDLE_TIMEOUT + 120  # idle, but not too long
    session.save()
    assert client.get(url).status_code == 200
    assert client.session[security.SEEN] >= now  # slid forward
    session = client.session
    session[security.SIGNED_IN] = now - settings.SESSION_COOKIE_AGE - 5
    session.save()
    assert client.get(url).status_code == 302
    assert settings.SESSION_IDLE_TIMEOUT <= 30 * 60 and settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_code_may_still_authenticate_without_a_request(program):
    """The test client's login() (no request): passed on to the password check, nothing locked."""
    from django.test import Client

    make_user("scripted", Role.CLERK, program=program)
    assert Client().login(username="scripted", password="pw-scripted")
    assert not Client().login(username="scripted", password="wrong")
