"""Scoping for every program-scoped model, found by the registries (Django's models with a
`scope_path`, their `<app>:<model>_<page>` URL names), not by a list of cases: a new app's model is
covered with no test edit. The records are the demo's (a record of the demo program, or, when the demo
has none, the one its registered kit case builds); the intruder is a clerk of the demo's other program."""

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from tests.factories import make_user
from tests.kit import all_cases
from yuanjiang.accounts.models import Role

PAGES = ("detail", "edit", "delete")

SCOPED = sorted(
    (
        m
        for m in apps.get_models()
        if getattr(m, "scope_path", None) and m.scope_path != "self_program" and not m._meta.proxy
    ),
    key=lambda m: m._meta.label_lower,
)


def _url(model, page, *args):
    try:
        return reverse(f"{model._meta.app_label}:{model._meta.model_name}_{page}", args=args)
    except NoReverseMatch:
        return None


def _record(model, program):
    found = model.objects.filter(**{model.scope_path: program}).order_by("pk").first()
    if found is None:
        case = {c.name: c for c in all_cases()}.get(model._meta.model_name)
        found = case.make(program, 1) if case else None
    return found


def test_the_registry_finds_the_scoped_models_of_every_domain_app():
    """The scoped models this file runs for include each domain app's (else it checks nothing)."""
    assert {m._meta.app_label for m in SCOPED} >= {
        "projects",
        "investment",
        "health",
        "talent",
        "education",
        "culture",
    }


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label_lower)
def test_a_clerk_of_another_program_gets_none_of_its_records(client, demo, model):
    pages = [p for p in (*PAGES, "list") if _url(model, p, 1) or _url(model, p)]
    if not pages:
        pytest.skip(f"{model._meta.label_lower} has no pages of its own")
    record = _record(model, demo.program)
    assert record is not None, f"no demo record of {model._meta.label_lower}: register a kit case for it"
    own = make_user("own_clerk", Role.CLERK, program=demo.program)
    stranger = make_user("stranger", Role.CLERK, program=demo.second_program)
    urls = [u for u in (_url(model, p, record.pk) for p in PAGES) if u]
    client.force_login(own)  # the pages exist and open for the record's own program (the test can fail)
    for url in urls:
        assert client.get(url).status_code == 200, url
    client.force_login(stranger)
    for url in urls:
        assert client.get(url).status_code in (403, 404), url
    delete = _url(model, "delete", record.pk)
    if delete:
        assert client.post(delete).status_code in (403, 404)
        assert model.objects.filter(pk=record.pk).exists()
    listing = _url(model, "list")
    if listing:
        page = client.get(listing)
        assert page.status_code == 200
        links = [u for u in (_url(model, "detail", record.pk), _url(model, "edit", record.pk)) if u]
        assert not any(f'href="{u}"' in page.content.decode() for u in links), listing
