"""Property test: random values posted into every create and edit form of the system.

The forms are discovered from the URL configuration (every view built on the generic versioned form
views with a ScopedModelForm), so the forms of apps added later are covered without changes here;
the records they need (the record edited, the parent of a child record) come from the test kit's
cases (tests/cases/<app>.py), which every app registers anyway.

For each post: never a 500; either the record is saved and its pages render, or the form is shown
again with a message and nothing was saved.
"""

import datetime as dt
import string

import pytest
from django import forms
from django.db import transaction
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.kit import all_cases, all_shared_cases
from yuanjiang.common.forms import ScopedModelForm
from yuanjiang.common.views import ChildCreateView, ObjectCreateView, ObjectEditView, VersionedFormMixin
from yuanjiang.core.context import acting_as

EXAMPLES = int(__import__("os").environ.get("YJ_PROPERTY_EXAMPLES", "25"))


def _walk(patterns, namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, p.namespace or namespace)
        else:
            yield namespace, p.name, getattr(p.callback, "view_class", None)


def form_views():
    """(url name, view class) of every ScopedModelForm create/edit view in the URL conf."""
    found = []
    for namespace, name, view in _walk(get_resolver().url_patterns):
        if view is None or not issubclass(view, VersionedFormMixin):
            continue
        form_class = getattr(view, "form_class", None)
        if form_class is None or not issubclass(form_class, ScopedModelForm):
            continue
        found.append((f"{namespace}:{name}" if namespace else name, view))
    return sorted(found, key=lambda x: x[0])


VIEWS = form_views()
CASES = {case.name: case for case in all_cases()}
SHARED = {case.name: case for case in all_shared_cases()}


def _make(model, program, n):
    """A valid record of the model from its kit case: scoped cases take the program, shared ones not."""
    name = model._meta.model_name
    if name not in SHARED:
        return CASES[name].make(program, n)
    obj = SHARED[name].make(n)
    if any(f.name == "owner" for f in obj._meta.concrete_fields):  # owned by the clerk's program (issue 21)
        with acting_as(None, source="test"):
            type(obj).objects.filter(pk=obj.pk).update(owner=program)
        obj.refresh_from_db()
    return obj


def test_every_form_view_is_found_and_has_a_test_case():
    names = [name for name, _ in VIEWS]
    assert {
        "projects:aidproject_create",
        "projects:fundtransaction_edit",
        "projects:progressreport_create",
    } <= set(names)
    for _name, view in VIEWS:
        needed = view.parent_model if issubclass(view, ChildCreateView) else view.model
        if issubclass(view, ObjectCreateView) and not issubclass(view, ChildCreateView):
            continue
        name = needed._meta.model_name
        assert name in CASES or name in SHARED, f"register a tests/cases case for {needed.__name__}"


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
JUNK = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "",
            " ",
            "-1",
            "0",
            "1e400",
            "NaN",
            "Infinity",
            "9" * 30,
            "'; DROP TABLE x;--",
            "<b>x</b>",
            "字" * 6000,
        ]
    ),
)


def _decimal(field):
    return st.one_of(
        st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False).map(str),
        st.sampled_from(
            ["99999999999999.99", "9999999999999.99", "-0.01", "0.001", "1E+5", "12345678901234.56"]
        ),
        JUNK,
    )


def _date():
    return st.one_of(
        st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2026, 12, 31)).map(dt.date.isoformat),
        st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
        st.sampled_from(["0001-01-01", "1900-01-01", "9999-12-31", "2023-02-30", "2023/06/01"]),
        JUNK,
    )


def strategy_for(field: forms.Field):
    if isinstance(field, forms.ModelChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:20]]
        return st.one_of(st.sampled_from(pks or [""]), st.integers(-5, 10**6).map(str), JUNK)
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        values = [str(v) for v, _ in field.choices if v != ""]
        return st.one_of(st.sampled_from(values or [""]), JUNK)
    if isinstance(field, forms.DecimalField):
        return _decimal(field)
    if isinstance(field, forms.IntegerField):
        return st.one_of(st.integers(-(10**12), 10**12).map(str), st.integers(0, 3000).map(str), JUNK)
    if isinstance(field, forms.DateField):
        return _date()
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(field, forms.FileField):
        return None  # uploads have their own tests (test_photos, test_input_safety)
    if isinstance(field, forms.CharField):
        return st.one_of(
            st.text(alphabet=string.ascii_letters + "援疆项目一二三", min_size=1, max_size=30), JUNK
        )
    return JUNK


def _as_posted(value):
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def _snapshot(model):
    return sorted(
        tuple(str(v) for v in row)
        for row in model._base_manager.values_list(*[f.attname for f in model._meta.concrete_fields])
    )


def _list_url(model):
    try:
        return reverse(f"{model._meta.app_label}:{model._meta.model_name}_list")
    except NoReverseMatch:
        return None


def _page_of(obj):
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    parent = obj.changelog_parent() if callable(getattr(obj, "changelog_parent", None)) else None
    return parent.get_absolute_url() if parent is not None else None


@pytest.mark.parametrize("url_name,view", VIEWS, ids=[name for name, _ in VIEWS])
def test_random_posts_never_fail_and_either_save_or_explain(client, clerk, program, url_name, view):
    model = view.model
    client.force_login(clerk)
    if issubclass(view, ChildCreateView):
        parent = _make(view.parent_model, program, 501)
        url, instance = reverse(url_name, args=[parent.pk]), None
    elif issubclass(view, ObjectEditView):
        instance = _make(model, program, 502)
        url = reverse(url_name, args=[instance.pk])
    else:
        url, instance = reverse(url_name), None
    # Valid values to start from (a record like the one posted), each field then kept or replaced by
    # a random value: so that both outcomes, saved and refused, are explored.
    if instance is not None:
        template = instance
    else:
        template = _make(model, program, 503)
        type(template).objects.filter(pk=template.pk).delete()
        template.pk, template._state.adding = None, True  # a new record: the create form's fields
    valid = view.form_class(user=clerk, instance=template)
    form = view.form_class(user=clerk, instance=instance or model())
    strategies, base = {}, {}
    for name, field in form.fields.items():
        if name == "expected_version" or field.disabled:
            continue
        strategy = strategy_for(field)
        if strategy is None:
            continue
        base[name] = _as_posted(valid[name].value())
        strategies[name] = st.one_of(strategy, st.none()) if not field.required else strategy
    names = sorted(strategies)

    @st.composite
    def posted(draw):
        # Up to three fields get random values (or are left out); the others keep valid ones.
        mutated = draw(st.sets(st.sampled_from(names), max_size=3))
        return {name: draw(strategies[name]) if name in mutated else base[name] for name in names}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(values=posted())
    def post_random(values):
        data = {k: v for k, v in values.items() if v is not None}
        if instance is not None:
            data["expected_version"] = str(type(instance).objects.get(pk=instance.pk).version)
        with transaction.atomic():
            before = _snapshot(model)
            response = client.post(url, data)  # an exception (a 500) fails the test
            assert response.status_code in (200, 302, 409), (response.status_code, data)
            if response.status_code == 302:
                if instance is None:
                    created = model.objects.order_by("-pk").first()
                    assert created is not None and _snapshot(model) != before
                    target = created
                else:
                    target = model.objects.get(pk=instance.pk)
                for page in (_list_url(model), _page_of(target)):
                    if page:
                        assert client.get(page).status_code == 200, (page, data)
            else:
                errors = response.context["form"].errors
                assert errors, data
                assert all(str(m).strip() for ms in errors.values() for m in ms)
                assert _snapshot(model) == before, data
            transaction.set_rollback(True)

    post_random()
