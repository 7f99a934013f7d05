"""Generic checks run for every model registered in tests/cases/ (see tests/kit.py): create through the
form, edit as loaded, stale edit, delete, the supervisor's read-only view, change log and fixed query
counts, the same way for every app. Another program's clerk: tests/test_kit_registry.py."""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.kit import all_cases, all_shared_cases, count_queries, form_values
from yuanjiang.core.context import acting_as
from yuanjiang.core.models import ObjectChange

CASES = all_cases()
SHARED = all_shared_cases()


def _urls(case, obj):
    for name in (case.detail_url, case.edit_url, case.delete_url):
        if name:
            yield reverse(name, args=[obj.pk])


# Another program's clerk: tests/test_kit_registry.py, for every scoped model the registries hold.


@pytest.mark.parametrize("case", CASES, ids=str)
def test_own_record_is_listed_and_readable_but_not_editable_by_a_supervisor(
    client, clerk, supervisor, program, case
):
    mine = case.make(program, 902)
    client.force_login(clerk)
    if case.list_url:
        assert case.text(mine) in client.get(reverse(case.list_url)).content.decode()
    for url in _urls(case, mine):
        assert client.get(url).status_code == 200, url
    client.force_login(supervisor)
    if case.detail_url:
        assert client.get(reverse(case.detail_url, args=[mine.pk])).status_code == 200
    for name in (case.edit_url, case.delete_url):
        if name:
            assert client.get(reverse(name, args=[mine.pk])).status_code == 404, name


@pytest.mark.parametrize("case", CASES, ids=str)
def test_create_is_logged_with_its_program(program, case):
    obj = _make(case, program, 903)
    entry = ObjectChange.objects.filter(
        content_type__app_label=obj._meta.app_label,
        content_type__model=obj._meta.model_name,
        object_id=str(obj.pk),
        action="create",
    ).get()
    assert entry.program == program


@pytest.mark.parametrize("case", [c for c in CASES if c.list_url], ids=str)
def test_list_page_queries_are_fixed(client, clerk, program, case):
    client.force_login(clerk)
    url = reverse(case.list_url)
    for n in range(2):
        case.make(program, 910 + n)
    small = count_queries(lambda: client.get(url))
    for n in range(15):
        case.make(program, 920 + n)
    large = count_queries(lambda: client.get(url))
    assert small == large, (small, large)


# Shared reference records (SharedCase): readable by every signed-in user, editable by editors only.


@pytest.mark.parametrize("case", SHARED, ids=str)
def test_shared_record_is_read_by_everyone_and_edited_by_editors_only(
    client, clerk, other_clerk, supervisor, auditor, program, case
):
    """Readable by everyone. Edited by editors (an industry cluster); an enterprise, institution or
    park with an owner only by that program's editors, without one (reference data) only by a
    supervisor (issue 21)."""
    obj = case.make(951)
    model = type(obj)
    owned = any(f.name == "owner" for f in model._meta.concrete_fields)
    if owned:
        with acting_as(None, source="test"):
            model.objects.filter(pk=obj.pk).update(owner=program)
    for reader in (clerk, other_clerk, supervisor, auditor):
        client.force_login(reader)
        if case.list_url:
            assert case.text(obj) in client.get(reverse(case.list_url)).content.decode(), reader
        if case.detail_url:
            assert client.get(reverse(case.detail_url, args=[obj.pk])).status_code == 200, reader

    def edit_status(user):
        client.force_login(user)
        return client.get(reverse(case.edit_url, args=[obj.pk])).status_code

    if case.edit_url:
        editors = (clerk,) if owned else (clerk, other_clerk)
        others = (other_clerk, supervisor, auditor) if owned else (supervisor, auditor)
        for user in editors:
            assert edit_status(user) == 200, user
        for user in others:
            assert edit_status(user) == 404, user
        if owned:  # reference data: a supervisor's, not a clerk's
            with acting_as(None, source="test"):
                model.objects.filter(pk=obj.pk).update(owner=None)
            assert edit_status(supervisor) == 200
            assert edit_status(clerk) == 404 and edit_status(auditor) == 404
    client.logout()
    for name in (case.list_url, case.detail_url):
        if name:
            url = reverse(name, args=[obj.pk]) if name == case.detail_url else reverse(name)
            assert client.get(url).status_code == 302  # to the login page


@pytest.mark.parametrize("case", SHARED, ids=str)
def test_shared_create_is_logged_without_a_program(reference, case):
    obj = case.make(953)
    entry = ObjectChange.objects.filter(
        content_type__app_label=obj._meta.app_label,
        content_type__model=obj._meta.model_name,
        object_id=str(obj.pk),
        action="create",
    ).get()
    assert entry.program is None


@pytest.mark.parametrize("case", [c for c in SHARED if c.list_url], ids=str)
def test_shared_list_page_queries_are_fixed(client, clerk, case):
    client.force_login(clerk)
    url = reverse(case.list_url)
    for n in range(2):
        case.make(960 + n)
    small = count_queries(lambda: client.get(url))
    for n in range(15):
        case.make(970 + n)
    large = count_queries(lambda: client.get(url))
    assert small == large, (small, large)


def _edit(client, case, obj):
    url = reverse(case.edit_url, args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200, url
    return url, form_values(page.content.decode())


EDITABLE = [c for c in CASES + SHARED if c.edit_url]


def _make(case, program, n):
    """A record the clerk of `program` may edit: a shared record with an owner is owned by it (issue 21)."""
    if case not in SHARED:
        return case.make(program, n)
    obj = case.make(n)
    if any(f.name == "owner" for f in obj._meta.concrete_fields):
        with acting_as(None, source="test"):
            type(obj).objects.filter(pk=obj.pk).update(owner=program)
        obj.refresh_from_db()
    return obj


@pytest.mark.parametrize("case", EDITABLE, ids=str)
def test_an_edit_saved_as_loaded_keeps_the_record(client, clerk, program, case):
    """The edit form, posted back as the page shows it, saves (a redirect) and changes nothing but the
    version: every field round-trips through its widget (money in its unit, dates, choices)."""
    obj = _make(case, program, 903)
    client.force_login(clerk)
    before = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    url, data = _edit(client, case, obj)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    obj.refresh_from_db()
    after = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    changed = {k for k in before if before[k] != after[k]} - {"version", "updated_at", "modified"}
    assert not changed, {k: (before[k], after[k]) for k in changed}


@pytest.mark.parametrize("case", EDITABLE, ids=str)
def test_a_stale_edit_is_a_conflict_not_an_overwrite(client, clerk, program, case):
    """Two editors load version 1; the second to save gets 409 (已被他人修改) and overwrites nothing."""
    obj = _make(case, program, 904)
    client.force_login(clerk)
    url, stale = _edit(client, case, obj)
    assert client.post(url, stale).status_code == 302
    obj.refresh_from_db()
    saved_version = obj.version
    response = client.post(url, stale)
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()
    obj.refresh_from_db()
    assert obj.version == saved_version


@pytest.mark.parametrize("case", [c for c in CASES if c.delete_url], ids=str)
def test_delete_removes_logs_and_returns_to_a_page_that_opens(client, clerk, program, case):
    """Deleted through its confirmation page: gone, logged, and back to its list or its parent's page."""
    obj = case.make(program, 905)
    model = type(obj)
    client.force_login(clerk)
    assert client.get(reverse(case.delete_url, args=[obj.pk])).status_code == 200  # the confirmation page
    response = client.post(reverse(case.delete_url, args=[obj.pk]))
    assert response.status_code == 302
    assert not model.objects.filter(pk=obj.pk).exists()
    assert client.get(response["Location"]).status_code == 200, response["Location"]
    logged = ObjectChange.objects.filter(content_type__model=model._meta.model_name, object_id=str(obj.pk))
    assert logged.filter(action="delete").exists()


def _create_url(case, obj):
    """`<app>:<model>_create`, under the record's parent when the page is (`.../<parent_pk>/.../new/`)."""
    name = f"{obj._meta.app_label}:{obj._meta.model_name}_create"
    try:
        return reverse(name)
    except NoReverseMatch:
        pass
    parent = getattr(obj, f"{(obj.scope_path or '').split('__')[0]}_id", None)
    try:
        return reverse(name, args=[parent]) if parent else None
    except NoReverseMatch:
        return None


IGNORED = {"id", "version", "created_at", "updated_at", "modified", "submitted_by_id", "submitted_at"}


@pytest.mark.parametrize("case", EDITABLE, ids=str)
def test_a_create_form_posted_as_the_browser_posts_it_saves_the_record(client, clerk, program, case):
    """The values a record's edit page shows (money in its unit, 万元; dates; choices), posted to the
    create page as a browser posts them, create the same record again: saved, logged, nothing lost."""
    obj = _make(case, program, 906)
    client.force_login(clerk)
    url = _create_url(case, obj)
    if url is None:
        pytest.skip(f"{case} has no create page")
    _, data = _edit(client, case, obj)
    data.pop("expected_version", None)
    model = type(obj)
    before = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname not in IGNORED
    }
    with acting_as(None, source="test"):
        obj.delete()  # the same values again: no unique name or code in the way
    response = client.post(url, data)
    form = response.context and response.context.get("form")
    assert response.status_code == 302, form.errors if form else response.status_code
    created = model.objects.exclude(pk=obj.pk).order_by("-pk").first() if obj.pk else model.objects.last()
    assert created is not None
    after = {
        f.attname: getattr(created, f.attname) for f in created._meta.concrete_fields if f.attname in before
    }
    changed = {k for k in before if before[k] != after[k]}
    # who entered it: the clerk who posted the form (the factory's record had nobody)
    changed -= {k for k in changed if k.endswith("_by_id") and before[k] is None and after[k] == clerk.pk}
    if hasattr(created, "review_status"):
        changed.discard("review_status")  # a web entry is a draft (review.Reviewable)
        assert created.review_status == "draft"
    assert not changed, {k: (before[k], after[k]) for k in changed}
    entry = ObjectChange.objects.get(
        content_type__model=model._meta.model_name, object_id=str(created.pk), action="create"
    )
    assert entry.actor_id == clerk.pk
    if case not in SHARED:
        assert entry.program == program
    assert client.get(response["Location"]).status_code == 200, response["Location"]
