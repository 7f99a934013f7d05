"""Form base classes: scoped choices and optimistic locking, for every domain form."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

from yuanjiang.accounts import scoping
from yuanjiang.org.models import Program


class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose program-scoped choice fields list only what `user` may change.

    Also carries the record's version (hidden) so a stale edit is refused, not saved over.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Optional grouping for long forms: ((title, (field, ...)), ...). Fields not named go last.
    fieldsets: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            model: type[Model] = queryset.model
            if model is Program or getattr(model, "scope_path", None):
                field.queryset = scoping.restrict(queryset, user, scoping.CHANGE)
            field.error_messages["invalid_choice"] = "所选{}不存在或不在您的权限范围内。".format(
                field.label or ""
            )

    def groups(self):
        """(title, bound fields) for the template; one untitled group when no fieldsets are declared."""
        visible = {f.name: f for f in self.visible_fields()}
        result = []
        for title, names in self.fieldsets:
            result.append((title, [visible.pop(n) for n in names if n in visible]))
        if visible:
            result.append(("", list(visible.values())))
        return result

    def clean_expected_version(self):
        return self.cleaned_data.get("expected_version")

    def save_related(self, instance):
        """Save what hangs off the record (uploads, child rows) after it, in the same transaction."""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.ImageField):
    """Several images in one input; each is checked (Pillow) and a bad one is named in the message."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        cleaned, errors = [], []
        for f in files:
            try:
                cleaned.append(super().clean(f, initial))
            except ValidationError as exc:
                errors.extend(f"“{getattr(f, 'name', f)}”：{m}" for m in exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned
