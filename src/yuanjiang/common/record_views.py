"""A detail page for simple records: a key–value table of declared columns, edit/delete buttons and
the history tab. A concrete view names its columns and URL names; richer pages extend the template's
`extra` block."""

from django.urls import reverse

from yuanjiang.common.views import ObjectDetailView


class RecordDetailView(ObjectDetailView):
    template_name = "common/record_detail.html"
    detail_columns: tuple[str, ...] = ()
    edit_url_name: str | None = None
    delete_url_name: str | None = None
    list_url_name: str | None = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx["model"] = self.model
        ctx["detail_columns"] = self.detail_columns or self.model.table_columns
        ctx["edit_url"] = reverse(self.edit_url_name, args=[obj.pk]) if self.edit_url_name else None
        ctx["delete_url"] = reverse(self.delete_url_name, args=[obj.pk]) if self.delete_url_name else None
        ctx["list_url"] = reverse(self.list_url_name) if self.list_url_name else None
        return ctx
