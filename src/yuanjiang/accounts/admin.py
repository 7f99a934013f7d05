from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from yuanjiang.accounts import accountlog
from yuanjiang.accounts.models import AccountEvent, Membership, User
from yuanjiang.common.admin import ReadOnlyAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("program", "organization")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("援疆台账", {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "is_active", "is_superuser", "last_login")
    inlines = (MembershipInline,)
    actions = ("unlock",)

    @admin.action(description="解除登录锁定（所选用户，所有地址）")
    def unlock(self, request, queryset):
        from axes.utils import reset

        names = []
        for user in queryset:
            removed = reset(username=user.get_username())
            accountlog.record(
                AccountEvent.Kind.UNLOCKED, target=user, request=request, detail=f"清除{removed}条失败记录"
            )
            names.append(user.get_username())
        self.message_user(request, f"已解除登录锁定：{'、'.join(names)}。")


@admin.register(AccountEvent)
class AccountEventAdmin(ReadOnlyAdmin):
    """The account log, read-only (append-only in the database too)."""

    list_display = ("time", "kind", "target_name", "actor_name", "ip_address", "path", "detail")
    list_filter = ("kind",)
    search_fields = ("target_name", "actor_name", "ip_address")
    date_hierarchy = "time"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "program", "organization")
    list_filter = ("role",)
    list_select_related = ("user", "program", "organization")
    autocomplete_fields = ("user", "program", "organization")
