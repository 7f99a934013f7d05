"""Permissions by verb (issue 22): for the roles that read — the auditor, and the supervisor outside
the few things a supervisor does — every URL pattern that accepts POST changes nothing. Generated from
the URL conf: a new view is covered as soon as it is routed. Each POST is answered 403, 404, 405 or
a redirect (a view whose POST only computes and shows, declaring `post_writes = False`, may answer
200 or 400), and the change log does not grow."""

import pytest
from django.apps import apps
from django.db.models import Max
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.kit import all_cases, all_shared_cases
from yuanjiang.core.models import ChangeSet, ObjectChange
from yuanjiang.review.models import PeriodClose

pytestmark = pytest.mark.django_db

# What a supervisor does by design (review/services.py CLOSER_ROLES, REOPENER_ROLES): close and
# reopen periods of the programs under their organization. Publishing their organization's roll-up
# card too, but the matrix posts to a program's card, which they may not publish.
SUPERVISOR_WRITES = {
    "review:periodclose_create",
    "review:periodclose_reopen",
    # Shared records without an owner are reference data a supervisor keeps (issue 21).
    "investment:enterprise_edit",
    "investment:institution_edit",
    "investment:park_edit",
}
# And set up work groups: a program, its invitations, the handover of a batch (org/setup.py).
SUPERVISOR_WRITES |= {"org:program_setup", "org:program_invitations", "org:program_handover"}
SUPERVISOR_WRITES |= {"org:invitation_revoke"}  # revoking an invitation of the program (org/setup.py)
# Not domain data: signing in and out, one's own password (the account log records it).
ACCOUNT_URLS = {"login", "logout", "password_change"}


def _walk(patterns, namespace="", prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from _walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def post_patterns():
    """Every named URL pattern outside the admin whose view may accept POST."""
    found = []
    for name, pattern in _walk(get_resolver().url_patterns):
        if name.startswith("admin:") or name in ACCOUNT_URLS:
            continue
        if name.startswith("api:"):
            continue  # the REST API and one's own API tokens: tests/test_api.py (test_readers_cannot_write)
        view = getattr(pattern.callback, "view_class", None)
        if view is not None and not hasattr(view, "post"):
            continue  # class-based without post(): Django answers 405
        found.append((name, pattern))
    return sorted(found, key=lambda x: x[0])


PATTERNS = post_patterns()


@pytest.fixture
def records(program, settings, tmp_path):
    from django.core.files.base import ContentFile

    from yuanjiang.core.context import acting_as
    from yuanjiang.projects.models import ProgressPhoto, ProgressReport

    settings.MEDIA_ROOT = tmp_path
    for n, case in enumerate(all_cases(), start=1):
        case.make(program, 700 + n)
    for n, case in enumerate(all_shared_cases(), start=1):
        case.make(800 + n)
    with acting_as(None, source="test"):
        photo = ProgressPhoto(report=_first(ProgressReport), caption="照片")
        photo.image.save("a.png", ContentFile(_PNG), save=False)
        photo.save()
        _invitation(program)


def _invitation(program):
    """An invitation not yet used, for 撤销邀请 (org:invitation_revoke)."""
    import datetime as dt

    from django.utils import timezone

    from yuanjiang.accounts.models import Invitation

    Invitation.objects.create(
        program=program,
        display_name="待邀请",
        token_hash="0" * 64,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )


_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c63600002"
    "00000500017a5eab3f0000000049454e44ae426082"
)


def _first(model):
    return model.objects.order_by("pk").first()


def _kwargs(name, pattern, program):
    view = getattr(pattern.callback, "view_class", None)
    model = getattr(view, "model", None)
    kwargs = {}
    for key in pattern.pattern.converters:
        if key == "pk":
            target = PeriodClose if "periodclose" in name else model
            if target is None and name == "review:record_action":
                from yuanjiang.projects.models import FundTransaction

                target = FundTransaction
            if name == "org:invitation_revoke":
                target = apps.get_model("accounts", "Invitation")
            if target is None:  # a view without `model`: "app:model_action" names it
                app, rest = name.split(":")
                target = apps.get_model(app, rest.rsplit("_", 1)[0])
            obj = _first(target)
            assert obj is not None, f"no {target.__name__} to post to for {name}"
            kwargs[key] = obj.pk
        elif key == "parent_pk":
            kwargs[key] = _first(view.parent_model).pk
        elif key == "kind":
            kwargs[key] = {"autocomplete": "program", "reports:publish": "program"}.get(name, "projects")
        elif key == "slug":
            kwargs[key] = program.slug
        elif key == "label":
            kwargs[key] = "projects.fundtransaction"
        elif key == "action":
            kwargs[key] = "approve"
        elif key == "token":
            kwargs[key] = "no-such-invitation"  # an invitation link: nothing to accept (404)
        else:
            raise AssertionError(f"fill the URL argument {key} of {name}")
    return kwargs


def test_the_matrix_covers_the_write_views():
    names = {name for name, _ in PATTERNS}
    assert {
        "claims:claimcheck_detail",
        "claims:claimcheck_list",
        "projects:aidproject_create",
        "projects:aidproject_edit",
        "projects:fundtransaction_delete",
        "review:record_action",
        "interop:import",
        "reports:publish",
    } <= names


def _log_state():
    return (
        ObjectChange.objects.count(),
        ChangeSet.objects.count(),
        ObjectChange.objects.aggregate(m=Max("pk"))["m"],
    )


@pytest.mark.parametrize("role", ["auditor", "supervisor"])
def test_read_only_roles_cannot_write(request, client, program, records, role):
    """Every POST pattern, one role at a time (the records are built once per role)."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    wrong = []
    for name, pattern in PATTERNS:
        if role == "supervisor" and name in SUPERVISOR_WRITES:
            continue  # a supervisor closes and reopens periods by design
        url = reverse(name, kwargs=_kwargs(name, pattern, program))
        before = _log_state()
        response = client.post(
            url, {"period": "2023", "text_date": "2024-01-01", "reason": "x", "text": "1个"}
        )
        view = getattr(pattern.callback, "view_class", None)
        allowed = (
            (302, 403, 404, 405) if getattr(view, "post_writes", True) else (200, 302, 400, 403, 404, 405)
        )
        if response.status_code not in allowed:
            wrong.append(f"{name}: {response.status_code}")
        if _log_state() != before:
            wrong.append(f"{name}: wrote to the change log")
    assert not wrong, wrong


def test_read_only_roles_see_no_rerun_button(client, auditor, program, records):
    from yuanjiang.claims.models import ClaimCheck

    check = _first(ClaimCheck)
    client.force_login(auditor)
    response = client.get(reverse("claims:claimcheck_detail", args=[check.pk]))
    assert response.status_code == 200
    assert response.context["can_change"] is False
