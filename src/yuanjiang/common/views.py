"""Generic views: a concrete view is a few attributes (model, filterset, form, columns).

Every queryset goes through accounts.scoping.restrict, so a record out of scope is a 404 and never
appears in a list, a choice or a search.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import DeleteView, DetailView, UpdateView
from django_filters.views import FilterView

from yuanjiang.accounts import scoping
from yuanjiang.common.autocomplete import use_autocomplete
from yuanjiang.common.conflict import StaleVersionError, save_versioned
from yuanjiang.common.pagination import ScopePaginator, served_ordering
from yuanjiang.core import history
from yuanjiang.core.models import ObjectChange


class ScopedMixin(LoginRequiredMixin):
    model = None
    action = scoping.VIEW
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    def base_queryset(self):
        qs = self.model.objects.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def get_queryset(self):
        return scoping.restrict(self.base_queryset(), self.request.user, self.action)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["model_meta"] = self.model._meta
        return ctx


class ObjectListView(ScopedMixin, FilterView):
    """A filtered, paginated, scoped list. Fixed number of queries whatever the row count."""

    # The generic list page of its model (api.registry reads this mark: the model gets an endpoint).
    lists_domain_records = True
    paginate_by = 50
    template_name = "common/object_list.html"
    create_url_name: str | None = None
    # The first column links to the record (a "name" column links by itself: common.templatetags.yj.cell).
    link_first_column = False

    # None: the model's Meta.ordering with foreign keys as columns (common.pagination).
    list_ordering: tuple[str, ...] | None = None

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":  # 导出Excel: every row the filters select (interop)
            from yuanjiang.interop.exporting import export_list

            return export_list(self)
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        qs = super().base_queryset().select_related(*self.model.table_select_related)
        qs = qs.order_by(*served_ordering(self.model, self.list_ordering))
        status = self.request.GET.get("review_status")
        if status and any(f.name == "review_status" for f in self.model._meta.fields):
            qs = qs.filter(review_status=status)  # a reviewable model: 待审核 lists for the lead
        return qs

    def get_filterset(self, filterset_class):
        """Programs, townships and enterprises as search boxes, not hundreds of <option>s."""
        filterset = super().get_filterset(filterset_class)
        use_autocomplete(filterset.form, scoping.VIEW)
        return filterset

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        """A count bounded by the page asked for: a wide scope is neither counted nor sorted whole."""
        return ScopePaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            requested=self.request.GET.get(self.page_kwarg),
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["columns"] = self.model.table_columns
        ctx["model"] = self.model
        ctx["can_create"] = (
            bool(self.create_url_name) and scoping.programs(self.request.user, scoping.CHANGE).exists()
        )
        ctx["create_url"] = reverse(self.create_url_name) if self.create_url_name else None
        ctx["link_first_column"] = self.link_first_column
        return ctx


def _url_name(model, action: str) -> str | None:
    """`<app>:<model>_<action>` if the URL conf has it (the URL naming convention), else None."""
    name = f"{model._meta.app_label}:{model._meta.model_name}_{action}"
    try:
        reverse(name, args=[0]) if action != "list" else reverse(name)
    except NoReverseMatch:
        return None
    return name


class ObjectDetailView(ScopedMixin, DetailView):
    """The one detail page: `common/object_detail.html` (a key–value table of `detail_columns`, edit and
    delete buttons, the review row and the history) unless the app has `<app>/<model>_detail.html`,
    which extends it and fills its blocks (nav, breadcrumb, heading, badge, rows, extra_rows, related).

    The edit, delete and list links follow the URL names `<app>:<model>_edit|_delete|_list`; a view
    sets `edit_url_name`/`delete_url_name` to None to show no such button, and `list_by_program` for a
    breadcrumb to the list filtered by the record's program."""

    detail_columns: tuple[str, ...] = ()  # (): the model's table_columns
    edit_url_name: str | None = ""  # "": by convention
    delete_url_name: str | None = ""
    list_by_program = False

    def get_template_names(self):
        return [*super().get_template_names(), "common/object_detail.html"]

    def _link(self, declared, action, obj):
        name = _url_name(self.model, action) if declared == "" else declared
        return reverse(name, args=[obj.pk]) if name else None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx["can_change"] = scoping.can_change(self.request.user, obj)
        ctx["history"] = history_for(obj, self.request.user)
        ctx["model"] = self.model
        ctx["detail_columns"] = self.detail_columns or getattr(self.model, "table_columns", ())
        ctx["edit_url"] = self._link(self.edit_url_name, "edit", obj)
        ctx["delete_url"] = self._link(self.delete_url_name, "delete", obj)
        url = list_url(self.model)
        if url and self.list_by_program and getattr(obj, "program_id", None):
            url = f"{url}?program={obj.program.slug}"
        ctx["list_url"] = url
        return ctx


def history_query(obj):
    """Changes of a record and of the records that name it as their changelog parent, newest first."""
    ct = ContentType.objects.get_for_model(obj)
    return (
        ObjectChange.objects.filter(
            Q(content_type=ct, object_id=str(obj.pk))
            | Q(related_content_type=ct, related_object_id=str(obj.pk))
        )
        .select_related("content_type", "changeset")
        .order_by("-id")
    )


def history_for(obj, user=None, limit: int = 200) -> list:
    """The record's history (`history_query`), with what each create entry's record was created with
    (core.history): a fixed number of queries. For `user`, only the entries about what they may see:
    a shared record's history does not show one program's linked records (a 南通 project upgrading
    a park) to the clerk of another."""
    qs = history_query(obj)
    restriction = scoping.restriction(user) if user is not None else None
    if restriction is not None:
        qs = qs.filter(Q(program__isnull=True) | Q(program__in=restriction))
    return history.fill(qs[:limit])


def safe_return_url(request) -> str | None:
    """`return_url` posted or in the query string, if it stays on this site (else None)."""
    url = request.POST.get("return_url") or request.GET.get("return_url")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def list_url(model) -> str | None:
    """The model's list page by the URL naming convention `<app>:<model>_list`, or None."""
    name = _url_name(model, "list")
    return reverse(name) if name else None


def detail_url(obj) -> str | None:
    get = getattr(obj, "get_absolute_url", None)
    return get() if get is not None else None


class ReturnUrlMixin:
    """Where a form or a delete goes back to, by convention (as NetBox's `get_return_url`): a safe
    `?return_url=`, else the record's page (`detail`), else its parent's page (`parent_field`, or the
    model's `changelog_parent`), else the model's list (`<app>:<model>_list`), else home. A view says
    nothing about it unless it is an exception."""

    parent_field: str | None = None
    # The model's page is not a page to come back to (e.g. a target's page is its edit form): its list.
    return_to_list = False

    def parent_of(self, obj):
        if obj is None:
            return None
        if self.parent_field:
            return getattr(obj, self.parent_field, None)
        parent = getattr(obj, "changelog_parent", None)  # a method (core.changelog)
        return parent() if callable(parent) else parent

    def get_return_url(self, obj=None, *, detail: bool = True) -> str:
        url = safe_return_url(self.request)
        if url:
            return url
        if self.return_to_list:
            return list_url(self.model) or reverse("home")
        if obj is not None and obj.pk and detail:
            url = detail_url(obj)
            if url:
                return url
        parent = self.parent_of(obj)
        if parent is not None and parent.pk:
            url = detail_url(parent)
            if url:
                return url
        return list_url(self.model) or reverse("home")


class VersionedFormMixin(ReturnUrlMixin):
    """Save through save_versioned: a stale edit re-renders the form with a conflict message (409)."""

    template_name = "common/object_form.html"
    success_message = "已保存。"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        instance = form.save(commit=False)
        try:
            with transaction.atomic():
                save_versioned(instance, expected_version=form.cleaned_data.get("expected_version"))
                form.save_m2m()
                form.save_related(instance)
        except StaleVersionError as exc:
            form.add_error(None, str(exc))
            response = self.form_invalid(form)
            response.status_code = 409
            return response
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        self.object = instance
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["model_meta"] = self.model._meta
        ctx["cancel_url"] = self.get_cancel_url()
        return ctx

    def get_success_url(self):
        return self.get_return_url(self.object)

    def get_cancel_url(self):
        return self.get_return_url(getattr(self, "object", None))


class ObjectEditView(VersionedFormMixin, ScopedMixin, UpdateView):
    action = scoping.CHANGE


class ObjectCreateView(VersionedFormMixin, LoginRequiredMixin, UpdateView):
    """Create a record; `get_object` returns a new, unsaved instance (possibly with a scoped parent)."""

    model = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scoping.programs(request.user, scoping.CHANGE).exists():
            raise PermissionDenied("您没有可填报的援疆项目组。")
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return self.model()


class ChildCreateView(ObjectCreateView):
    """Create a record under a parent (e.g. a fund transaction of a project) the user may change."""

    parent_model = None
    parent_field = "project"

    def get_parent(self):
        qs = scoping.restrict(self.parent_model.objects.all(), self.request.user, scoping.CHANGE)
        return get_object_or_404(qs, pk=self.kwargs["parent_pk"])

    def get_object(self, queryset=None):
        self.parent = self.get_parent()
        return self.model(**{self.parent_field: self.parent})

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["parent"] = self.parent
        return ctx

    def get_return_url(self, obj=None, *, detail: bool = False):
        return super().get_return_url(obj, detail=False)  # a child record is shown on its parent's page


class ChildEditView(ObjectEditView):
    parent_field = "project"

    def get_return_url(self, obj=None, *, detail: bool = False):
        return super().get_return_url(obj, detail=False)


class ObjectDeleteView(ReturnUrlMixin, ScopedMixin, DeleteView):
    """Done: to a safe `?return_url=`, the parent's page or the model's list; cancelled: also to the
    record's own page first."""

    action = scoping.CHANGE
    template_name = "common/object_confirm_delete.html"

    def get_success_url(self):
        return self.get_return_url(self.object, detail=False)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # Not deleted: back to the record's page when it has one (`<app>:<model>_detail`; a photo's URL is
        # its file), else where a delete would go.
        ctx["cancel_url"] = self.get_return_url(
            self.object, detail=_url_name(self.model, "detail") is not None
        )
        return ctx

    def form_valid(self, form):
        success_url = self.get_success_url()
        try:
            with transaction.atomic():
                self.object.delete()
        except ProtectedError:
            messages.error(self.request, f"“{self.object}”仍有关联记录，不能删除。")
            return HttpResponseRedirect(success_url)
        except ValidationError as exc:  # e.g. a record of a closed period (review.guard)
            messages.error(self.request, "；".join(exc.messages))
            return HttpResponseRedirect(success_url)
        messages.success(self.request, f"已删除“{self.object}”。")
        return HttpResponseRedirect(success_url)
