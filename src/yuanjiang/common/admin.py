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

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        expected = form.cleaned_data.get("expected_version")
        if expected is None:
            expected = (getattr(obj, "_loaded_values", None) or {}).get("version", obj.version)
        save_versioned(obj, expected_version=expected)
