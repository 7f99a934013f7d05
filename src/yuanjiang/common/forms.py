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
        self._bound_texts()
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

    def _bound_texts(self):
        """Texts without a declared length get the model's limit (DomainModel TEXT_MAX_LENGTH): the
        browser stops at it and the form refuses more with a message."""
        from django.core.validators import MaxLengthValidator
        from django.db.models import TextField

        from yuanjiang.common.models import TEXT_MAX_LENGTH

        for name, field in self.fields.items():
            try:
                model_field = self._meta.model._meta.get_field(name)
            except Exception:
                continue
            if isinstance(model_field, TextField) and getattr(field, "max_length", 0) is None:
                limit = model_field.max_length or TEXT_MAX_LENGTH
                field.max_length = limit
                field.validators.append(
                    MaxLengthValidator(limit, message=f"{field.label}不能超过{limit}个字。")
                )
                field.widget.attrs["maxlength"] = str(limit)

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


# Photos: the formats a browser shows (what Pillow finds, not the file name), at most this many
# pixels each (a 144-megapixel image is a decompression bomb for thumbnails and browsers), and at
# most this many files in one request (settings.DATA_UPLOAD_MAX_NUMBER_FILES refuses far more).
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_MAX_FILES = 20


class MultipleImageField(forms.ImageField):
    """Several images in one input; each is checked (Pillow: a JPEG, PNG, GIF or WebP image of at
    most IMAGE_MAX_PIXELS) and a bad one is named in the message; at most IMAGE_MAX_FILES at once."""

    def __init__(self, *args, max_files=IMAGE_MAX_FILES, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(IMAGE_FORMATS.values())}))
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        f = super().to_python(data)
        if f is None:
            return None
        image = getattr(f, "image", None)
        if image is None or image.format not in IMAGE_FORMATS:
            raise ValidationError("只接受JPEG、PNG、GIF或WebP格式的照片。", code="invalid_image")
        # Stored under the extension of what it is: a PNG named scan.pdf is kept as scan.png.
        stem = (getattr(f, "name", "") or "photo").rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "photo"
        f.name = f"{stem}.{IMAGE_EXTENSIONS[image.format]}"
        width, height = image.size
        if width * height > IMAGE_MAX_PIXELS:
            raise ValidationError(
                f"照片为{width}×{height}像素（约{width * height / 1e6:.0f}百万像素），"
                f"超过{IMAGE_MAX_PIXELS // 1_000_000}百万像素的上限，请缩小后上传。",
                code="too_many_pixels",
            )
        return f

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > self.max_files:
            raise ValidationError(
                f"一次最多上传{self.max_files}张照片（本次{len(files)}张）。", code="too_many_files"
            )
        cleaned, errors = [], []
        for f in files:
            try:
                cleaned.append(super().clean(f, initial))
            except ValidationError as exc:
                errors.extend(f"“{getattr(f, 'name', f)}”：{m}" for m in exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned
