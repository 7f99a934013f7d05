from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.views.generic import ListView

from yuanjiang.accounts import scoping
from yuanjiang.accounts.models import CHANGELOG_ROLES
from yuanjiang.core import history
from yuanjiang.core.models import ObjectChange


class ObjectChangeListView(LoginRequiredMixin, ListView):
    """The global change stream, for auditors and admins, limited to their scope. Read-only."""

    model = ObjectChange
    paginate_by = 100
    template_name = "core/objectchange_list.html"

    def get_queryset(self):
        user = self.request.user
        if not scoping.has_role(user, CHANGELOG_ROLES):
            raise PermissionDenied("只有审计和系统管理员可以查看全局变更日志。")
        qs = ObjectChange.objects.select_related("content_type", "program", "changeset")
        if not user.is_superuser:
            # Their programs' records, and the shared reference records every user reads (enterprises …).
            shared = [m for m in apps.get_models() if getattr(m, "shared", False)]
            shared_types = ContentType.objects.get_for_models(*shared).values() if shared else []
            qs = qs.filter(
                Q(program__in=scoping.programs(user))
                | Q(program__isnull=True, content_type__in=[ct.pk for ct in shared_types])
            )
        action = self.request.GET.get("action")
        if action in ObjectChange.Action.values:
            qs = qs.filter(action=action)
        q = self.request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(  # by the record's text (an update stores none: core.history)
                history.text_search(q) | Q(changeset__actor_name__icontains=q) | Q(changeset__request_id=q)
            )
        return qs.order_by("-id")

    def get(self, request, *args, **kwargs):
        from yuanjiang.interop import exporting

        if exporting.wants_export(request):  # 导出Excel: the filtered stream (interop)
            return exporting.export_response(request, ObjectChange, self.get_queryset())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["actions"] = ObjectChange.Action.choices
        ctx["object_list"] = history.fill(ctx["object_list"])  # what the page's entries do not store
        return ctx
