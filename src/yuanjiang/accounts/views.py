from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.views.generic import ListView

from yuanjiang.accounts import scoping
from yuanjiang.accounts.models import CHANGELOG_ROLES, AccountEvent


class AccountEventListView(LoginRequiredMixin, ListView):
    """The account log, for auditors and admins (accounts are not scoped to programs: all of it)."""

    model = AccountEvent
    paginate_by = 100
    template_name = "accounts/accountevent_list.html"

    def get_queryset(self):
        if not scoping.has_role(self.request.user, CHANGELOG_ROLES):
            raise PermissionDenied("只有审计和系统管理员可以查看账号日志。")
        qs = AccountEvent.objects.all()
        kind = self.request.GET.get("kind")
        if kind in AccountEvent.Kind.values:
            qs = qs.filter(kind=kind)
        q = self.request.GET.get("q", "").strip()
        if q:
            match = Q(target_name__icontains=q) | Q(actor_name__icontains=q)
            qs = qs.filter(match | Q(ip_address=q) if _ip(q) else match)
        return qs.order_by("-time", "-id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["kinds"] = AccountEvent.Kind.choices
        return ctx


def _ip(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
