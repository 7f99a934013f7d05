from django.contrib import admin

from yuanjiang.api.models import ApiToken, IatiSector
from yuanjiang.api.web_views import revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see and revoke every user's tokens; nobody sees a token itself (only its digest)."""

    list_display = ("name", "user", "prefix", "read_only", "created_at", "last_used_at", "revoked_at")
    list_filter = ("read_only",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "read_only", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_digest",)
    actions = ("revoke_tokens",)

    def has_add_permission(self, request):
        return False  # a token is created by its user, who alone sees it once

    @admin.action(description="撤销所选令牌")
    def revoke_tokens(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            revoke(token, request=request)


@admin.register(IatiSector)
class IatiSectorAdmin(admin.ModelAdmin):
    """Project category → OECD DAC sector of the IATI export (api.iati.DEFAULT_SECTORS when no row)."""

    list_display = ("category", "dac_code")
