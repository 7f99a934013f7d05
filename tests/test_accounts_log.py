"""Accounts (issue 22): lockout per account as well as per address, unlocked by an admin; and the
account log — every account change, sign-in, failed sign-in, lockout and unlock is on record (who,
whom, when, from where), append-only, readable by auditors, read-only in the admin."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import (
    IntegrityError,
    InternalError,
    OperationalError,
    ProgrammingError,
    connection,
    transaction,
)
from django.urls import reverse

from tests.factories import make_user
from yuanjiang.accounts.models import AccountEvent, Membership, Role, User

Kind = AccountEvent.Kind


def _login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _events(kind, name):
    return list(AccountEvent.objects.filter(kind=kind, target_name=name).order_by("id"))


@pytest.fixture
def admin_user(program):
    return make_user("boss", Role.ADMIN, program=program, superuser=True)


def test_wrong_passwords_from_many_addresses_lock_the_account(client, program):
    """The issue's attack: 30 wrong passwords from 6 addresses, then the right one from a seventh."""
    make_user("target", Role.CLERK, program=program)
    for i in range(6):
        for _ in range(5):
            _login(client, "target", "wrong-password", f"127.0.0.{i + 1}")
    response = _login(client, "target", "pw-target", "127.0.0.7")
    assert response.status_code == 429
    assert "所有地址的登录均已暂停" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _events(Kind.LOCKED_OUT, "target")
    assert "账号（所有地址）" in _events(Kind.LOCKED_OUT, "target")[-1].detail
    assert len(_events(Kind.LOGIN_FAILED, "target")) >= 20


def test_below_the_account_limit_other_addresses_still_sign_in(client, program):
    make_user("careless", Role.CLERK, program=program)
    for i in range(settings.ACCOUNT_FAILURE_LIMIT - 1):
        _login(client, "careless", "wrong-password", f"10.0.{i // 4}.{i % 4 + 1}")  # 4 per address
    assert _login(client, "careless", "pw-careless", "10.9.9.9").status_code == 302


def test_an_admin_unlocks_the_account(client, program, admin_user):
    make_user("locked", Role.CLERK, program=program)
    for i in range(settings.ACCOUNT_FAILURE_LIMIT):
        _login(client, "locked", "wrong-password", f"10.1.{i}.1")
    assert _login(client, "locked", "pw-locked", "10.2.0.1").status_code == 429
    admin = client.__class__()
    admin.force_login(admin_user)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock", "_selected_action": [User.objects.get(username="locked").pk]},
        REMOTE_ADDR="10.3.0.1",
    )
    assert response.status_code == 302
    event = _events(Kind.UNLOCKED, "locked")[-1]
    assert event.actor_name == "boss" and event.ip_address == "10.3.0.1"
    assert _login(client, "locked", "pw-locked", "10.2.0.1").status_code == 302


def test_sign_in_and_failed_sign_in_are_logged(client, program):
    make_user("walker", Role.CLERK, program=program)
    _login(client, "walker", "nope", "192.0.2.5")
    _login(client, "nobody-here", "nope", "192.0.2.5")
    _login(client, "walker", "pw-walker", "192.0.2.6")
    failed = _events(Kind.LOGIN_FAILED, "walker")[-1]
    assert failed.ip_address == "192.0.2.5" and failed.target is not None and failed.path == "/login/"
    assert _events(Kind.LOGIN_FAILED, "nobody-here")[-1].target is None
    login = _events(Kind.LOGIN, "walker")[-1]
    assert login.ip_address == "192.0.2.6" and login.actor_name == "walker"


def test_admin_changes_are_logged(client, program, admin_user):
    """Granting superuser, groups, permissions, deactivating and resetting a password in the admin."""
    user = make_user("someone", Role.CLERK, program=program)
    client.force_login(admin_user)
    group = Group.objects.create(name="报表")
    perm = Permission.objects.get(codename="view_user")
    page = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("password", "groups", "user_permissions", "last_login", "date_joined")
    }
    data.update(
        is_superuser="on",
        is_staff="on",
        groups=[group.pk],
        user_permissions=[perm.pk],
        date_joined_0="2024-01-01",
        date_joined_1="00:00:00",
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-id": str(user.memberships.get().pk),
            "memberships-0-user": str(user.pk),
            "memberships-0-role": "lead",
            "memberships-0-program": str(program.pk),
            "memberships-0-organization": "",
            "memberships-0-version": str(user.memberships.get().version),
        },
    )
    data.pop("is_active", None)  # unticked: deactivated
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]), data, REMOTE_ADDR="198.51.100.1"
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    kinds = {e.kind for e in AccountEvent.objects.filter(target_name="someone")}
    assert {Kind.SUPERUSER, Kind.STAFF, Kind.ACTIVE, Kind.GROUPS, Kind.PERMISSIONS, Kind.ROLES} <= kinds
    superuser = _events(Kind.SUPERUSER, "someone")[-1]
    assert superuser.actor_name == "boss" and superuser.ip_address == "198.51.100.1"
    assert superuser.detail == "超级用户：否 → 是"
    assert superuser.path == reverse("admin:accounts_user_change", args=[user.pk])
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "Kashgar-2024!x", "password2": "Kashgar-2024!x", "usable_password": "true"},
    )
    assert response.status_code == 302
    reset = _events(Kind.PASSWORD_RESET, "someone")[-1]
    assert reset.actor_name == "boss"


def test_own_password_change_is_logged(client, program):
    user = make_user("changer", Role.CLERK, program=program)
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-changer", "new_password1": "Tianshan-2024!", "new_password2": "Tianshan-2024!"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    event = _events(Kind.PASSWORD_CHANGED, "changer")[-1]
    assert event.actor_name == "changer" and event.ip_address == "203.0.113.9"


def test_commands_and_code_are_logged(program):
    call_command(
        "createsuperuser",
        "--noinput",
        "--username",
        "root2",
        "--email",
        "r@example.org",
        stdout=io.StringIO(),
    )
    created = _events(Kind.CREATED, "root2")[-1]
    assert "超级用户" in created.detail and created.path.startswith("命令")
    user = User.objects.get(username="root2")
    user.set_password("Another-pass-2024")
    user.save()
    assert _events(Kind.PASSWORD_RESET, "root2")
    Membership.objects.create(user=user, role=Role.AUDITOR, program=program)
    assert "新增角色" in _events(Kind.ROLES, "root2")[-1].detail
    # Bulk and queryset paths too (the write kernel's hook, not a save() signal).
    Membership.objects.bulk_create([Membership(user=user, role=Role.CLERK, program=program)])
    Membership.objects.filter(user=user, role=Role.CLERK).update(role=Role.LEAD)
    Membership.objects.filter(user=user, role=Role.LEAD).delete()
    details = [e.detail for e in _events(Kind.ROLES, "root2")[-3:]]
    assert [d[:4] for d in details] == ["新增角色", "修改角色", "删除角色"]
    user.delete()
    assert _events(Kind.DELETED, "root2")


def test_the_log_is_append_only(program):
    make_user("x", Role.CLERK, program=program)
    event = AccountEvent.objects.filter(target_name="x").first()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    errors = (IntegrityError, InternalError, OperationalError, ProgrammingError)
    with pytest.raises(errors, match="账号日志不可修改"), transaction.atomic():
        AccountEvent.objects.filter(pk=event.pk).update(detail="改过")
    with pytest.raises(errors, match="账号日志不可删除"), transaction.atomic():
        AccountEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(errors, match="账号日志不可删除"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_accountevent")
    assert AccountEvent.objects.filter(pk=event.pk).exists()


def test_auditors_read_the_log_and_others_do_not(client, program, auditor, clerk):
    client.force_login(auditor)
    response = client.get(reverse("accountevent_list"), {"kind": "created"})
    assert response.status_code == 200 and "clerk" in response.content.decode()
    client.force_login(clerk)
    assert client.get(reverse("accountevent_list")).status_code == 403


def test_the_admin_is_read_only(client, program, admin_user):
    client.force_login(admin_user)
    event = AccountEvent.objects.first()
    assert client.get(reverse("admin:accounts_accountevent_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_accountevent_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:accounts_accountevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AccountEvent.objects.filter(pk=event.pk).exists()


def test_the_unlock_command(client, program):
    make_user("cmd-locked", Role.CLERK, program=program)
    for i in range(settings.ACCOUNT_FAILURE_LIMIT):
        _login(client, "cmd-locked", "wrong-password", f"10.5.{i}.1")
    assert _login(client, "cmd-locked", "pw-cmd-locked", "10.6.0.1").status_code == 429
    out = io.StringIO()
    call_command("unlock", "cmd-locked", stdout=out)
    assert "已解除" in out.getvalue()
    assert _events(Kind.UNLOCKED, "cmd-locked")[-1].path.startswith("命令")
    assert _login(client, "cmd-locked", "pw-cmd-locked", "10.6.0.1").status_code == 302
