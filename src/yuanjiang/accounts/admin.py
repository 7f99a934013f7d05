from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from yuanjiang.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("program", "organization")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("援疆台账", {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "is_active", "is_superuser", "last_login")
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "program", "organization")
    list_filter = ("role",)
    list_select_related = ("user", "program", "organization")
    autocomplete_fields = ("user", "program", "organization")
