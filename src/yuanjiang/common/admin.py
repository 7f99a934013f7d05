"""The admin goes through the same optimistic locking as the web: its change form carries the
record's version, a stale admin form is refused with the conflict message, and the save bumps the
version under a row lock (common.conflict.save_versioned). Every domain model's admin subclasses
DomainAdmin."""

from django import forms
from django.contrib import admin

from yuanjiang.common.conflict import StaleVersionError, save_versioned


class VersionedAdminForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != expected:
                raise forms.ValidationError(str(StaleVersionError(self.instance, expected, current)))
        return cleaned


class DomainAdmin(admin.ModelAdmin):
    form = VersionedAdminForm

    def get_ordering(self, request):
        """An order the indexes serve (common.pagination): not a sort of the whole table by a
        related model's ordering."""
        from yuanjiang.common.pagination import served_ordering

        return served_ordering(self.model, list(self.ordering) if self.ordering else None)

    def get_list_filter(self, request):
        """Filters by program, township or enterprise list their choices only while they are few."""
        result = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and _long_choice_fk(self.model, item) is not None:
                item = (item, FewChoicesFilter)
            result.append(item)
        return result

    def get_autocomplete_fields(self, request):
        """Programs, townships (regions) and enterprises in change forms: a search box, not a select
        of every one of them (their admins declare search_fields)."""
        fields = list(super().get_autocomplete_fields(request))
        for field in self.model._meta.fields:
            if field.name in fields or field.name in self.raw_id_fields or not field.editable:
                continue
            if _long_choice_fk(self.model, field.name) is None:
                continue
            related_admin = self.admin_site._registry.get(field.remote_field.model)
            if related_admin is not None and related_admin.search_fields:
                fields.append(field.name)
        return fields

    def get_search_fields(self, request):
        """…and the search box matches their names instead."""
        fields = list(super().get_search_fields(request))
        for item in self.list_filter:
            field = _long_choice_fk(self.model, item) if isinstance(item, str) else None
            if field is not None and fields:
                lookup = f"{item}__{LONG_CHOICE_MODELS[field.remote_field.model._meta.label]}"
                if lookup not in fields:
                    fields.append(lookup)
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        expected = form.cleaned_data.get("expected_version")
        if expected is None:
            expected = (getattr(obj, "_loaded_values", None) or {}).get("version", obj.version)
        save_versioned(obj, expected_version=expected)


class FewChoicesFilter(admin.RelatedFieldListFilter):
    """A foreign-key list filter that lists its choices only while they are few: 209 programs or 456
    townships as links made the admin list page slow and unreadable. Beyond `max_choices`, it lists
    the chosen one (reached through a link or the address) and the list's search box does the rest."""

    max_choices = 30

    def field_choices(self, field, request, model_admin):
        related = field.remote_field.model._default_manager.all()
        if related.order_by()[: self.max_choices + 1].count() <= self.max_choices:
            return super().field_choices(field, request, model_admin)
        chosen = self.lookup_val or []
        if isinstance(chosen, str):
            chosen = [chosen]
        chosen = [v for v in chosen if str(v).isdigit()]
        self.limited = True
        return [(obj.pk, str(obj)) for obj in related.filter(pk__in=chosen)] if chosen else []

    def has_output(self):
        # Shown with the one chosen value too (to be removed with 全部).
        return super().has_output() or bool(getattr(self, "limited", False) and self.lookup_choices)


# Related models whose list filters are limited, and what the list's search then matches.
LONG_CHOICE_MODELS = {"org.Program": "name", "org.Region": "name", "investment.Enterprise": "name"}


def _long_choice_fk(model, name: str):
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    if field.many_to_one and field.remote_field.model._meta.label in LONG_CHOICE_MODELS:
        return field
    return None


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin that reads only: records written elsewhere (the change log, publications, period
    closes), which the admin may list and show but never add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
