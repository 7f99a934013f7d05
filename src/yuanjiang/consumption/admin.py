from django.contrib import admin

from yuanjiang.common.admin import DomainAdmin
from yuanjiang.consumption.models import Purchase
from yuanjiang.review.models import REVIEW_FIELDS


@admin.register(Purchase)
class PurchaseAdmin(DomainAdmin):
    list_display = ("date", "buyer", "program", "category", "supplier", "amount", "channel", "review_status")
    list_filter = ("category", "buyer_kind", "channel", "program", "review_status")
    search_fields = ("buyer", "supplier", "products")
    list_select_related = ("program",)
    autocomplete_fields = ("township",)
    readonly_fields = ("version", *REVIEW_FIELDS)
