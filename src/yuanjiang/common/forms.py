"""Form base classes: scoped choices, optimistic locking, money typed in 元 or 万元 and natural
Chinese messages, for every domain form."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Model
from django.utils.html import format_html, format_html_join

from yuanjiang.accounts import scoping
from yuanjiang.common import formatting
from yuanjiang.common import messages as natural_messages
from yuanjiang.common.autocomplete import use_autocomplete
from yuanjiang.common.fields import MoneyField
from yuanjiang.org.models import Program, Region

# The date box of every form: the browser's date picker, the value written as ISO (2024-06-30).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10000)}
# The unit money is shown and typed in: the ledgers' (formatting.LEDGER_UNIT). 元 is accepted when
# chosen beside the box or typed with the number ("1500元").
ENTRY_UNIT = formatting.LEDGER_UNIT
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def money_in_yuan(raw, unit: str = "元"):
    """What was typed in a money box, in 元 as a string: "480" with 万元 → "4800000"; "480万" or "480万元"
    typed in the box → the same; thousands separators and full-width digits are accepted. Anything
    that is not a plain number is returned as typed, for the field to refuse with its message."""
    if raw is None or not isinstance(raw, str):
        return raw
    text = unicodedata.normalize("NFKC", raw).strip().replace(",", "").replace(" ", "")
    if text.endswith("万元"):
        text, unit = text[:-2], "万元"
    elif text.endswith("万"):
        text, unit = text[:-1], "万元"
    elif text.endswith("元"):
        text, unit = text[:-1], "元"  # "1500元" is 元, whatever unit is chosen beside the box
    if not text or not _PLAIN_NUMBER.fullmatch(text) or len(text) > 40:
        return raw
    try:
        value = Decimal(text) * MONEY_UNITS.get(unit, Decimal(1))
    except InvalidOperation:
        return raw
    return format(value.normalize() if value == value.to_integral_value() else value, "f")


class MoneyInput(forms.TextInput):
    """An amount box in the ledgers' unit (万元), the unit chosen beside it (万元 first, or 元). Shows a
    stored amount in 万元 (1500000 元 → 150), so what is typed over it is read in the unit shown.
    Posts NAME and NAME_unit; the value the form field sees is always in 元 (a post without a unit,
    from a script, means 元)."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "class": "money", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = Decimal(value)
            except InvalidOperation:
                return value  # as typed: the field's message says what is wrong
        if isinstance(value, Decimal | int):
            value = Decimal(value) / MONEY_UNITS[ENTRY_UNIT]
            return f"{value.normalize():f}"
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        units = [ENTRY_UNIT, *(u for u in MONEY_UNITS if u != ENTRY_UNIT)]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((u, " selected" if u == ENTRY_UNIT else "", u) for u in units),
        )
        return format_html(
            '<span class="money-input">{}<select name="{}_unit" aria-label="单位">{}</select></span>',
            box,
            name,
            options,
        )

    def value_from_datadict(self, data, files, name):
        return money_in_yuan(data.get(name), data.get(f"{name}_unit") or "元")

    def value_omitted_from_data(self, data, files, name):
        return name not in data


CONFIRM_MONEY = "confirm_money"


def _suspicious_amount(label, new, old, plausible) -> str | None:
    """Why an amount typed in a form should be confirmed before saving, or None."""
    from yuanjiang.common.fields import SUSPICIOUS_FACTOR

    if not new or new == old:  # nothing typed, or the stored amount kept (confirmed when saved)
        return None
    if old:
        ratio = max(new / old, old / new)
        if ratio >= SUSPICIOUS_FACTOR:
            return (
                f"{label}由原来的{formatting.exact(old, '元')}改为{formatting.exact(new, '元')}，"
                "相差100倍以上：请核对单位（万元/元）和位数"
            )
    low, high = plausible
    if new < low:
        return (
            f"{label}只有{formatting.exact(new, '元')}，低于此类记录通常的{formatting.exact(low, '元')}："
            "是否把万元误填成了元？请核对单位"
        )
    if new > high:
        return (
            f"{label}达{formatting.exact(new, '元')}，高于此类记录通常的{formatting.exact(high, '元')}："
            "是否把元误填成了万元？请核对单位和位数"
        )
    return None


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


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
        form_model = self._meta.model
        self.money_fields = {}
        for name, field in self.fields.items():
            model_field = _model_field(form_model, name)
            if isinstance(model_field, MoneyField):
                # Money is typed in 万元 or 元 (a unit choice beside the box), stored in 元.
                field.widget = MoneyInput()
                field.is_money = True
                field.label = natural_messages._label(field.label)
                self.money_fields[name] = model_field
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            model: type[Model] = queryset.model
            if model is Program or getattr(model, "scope_path", None):
                field.queryset = scoping.restrict(queryset, user, scoping.CHANGE)
            field.error_messages["invalid_choice"] = "所选{}不存在或不在您的权限范围内。".format(
                field.label or ""
            )
        # Programs, townships and enterprises: a search box, not every choice as an <option>.
        use_autocomplete(self, scoping.CHANGE)
        # The amounts as stored, before the form's values are put on the instance (for check_amounts).
        self._stored_money = (
            {name: getattr(self.instance, name, None) for name in self.money_fields}
            if self.instance.pk
            else {}
        )
        if self.money_fields:
            # Shown (as a checkbox) only when an amount asks for confirmation (check_amounts).
            self.fields[CONFIRM_MONEY] = forms.BooleanField(
                required=False, label="金额核对无误，仍要保存", widget=forms.HiddenInput
            )

    def _bound_texts(self):
        """Texts without a declared length get the model's limit (DomainModel TEXT_MAX_LENGTH): the
        browser stops at it and the form refuses more with a message."""
        from django.core.validators import MaxLengthValidator
        from django.db.models import TextField

        from yuanjiang.kernel.models import TEXT_MAX_LENGTH

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

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.money_fields:
            self.check_amounts()
        if self._errors:
            self.naturalize_errors()

    def check_amounts(self):
        """An amount implausible for its kind, or changed by a factor ≥ 100 from the stored one, is not
        saved until confirmed (the 确认 box then shown): 120 typed for 援疆资金 in 元 is 120 元."""
        if self.cleaned_data.get(CONFIRM_MONEY):
            return
        asked = False
        for name, model_field in self.money_fields.items():
            if name in self._errors or name not in self.cleaned_data:
                continue
            new = self.cleaned_data[name]
            old = self._stored_money.get(name)
            why = _suspicious_amount(self.fields[name].label, new, old, model_field.plausible)
            if why:
                self.add_error(name, f"{why}。确认无误请勾选“金额核对无误，仍要保存”后再保存。")
                asked = True
        if asked:
            self.fields[CONFIRM_MONEY].widget = forms.CheckboxInput()

    def naturalize_errors(self):
        """Every default Django message becomes a natural Chinese one naming the field (common/messages.py);
        a duplicate (unique together) is shown on its last field ("请换一个项目编号"), not above the form."""
        model = self._meta.model
        moved = []
        for name, errors in list(self._errors.items()):
            field = self.fields.get(name)
            model_field = _model_field(model, name) if name != NON_FIELD_ERRORS else None
            label = field.label if field is not None else getattr(model_field, "verbose_name", "")
            kept = []
            for error in errors.as_data():
                if name == NON_FIELD_ERRORS and natural_messages.is_default(error.message):
                    params = error.params or {}
                    if error.code == "unique_together":
                        text = natural_messages._unique_together(params, self.instance)
                        targets = [f for f in params.get("unique_check", ()) if f in self.fields]
                        editable = [f for f in targets if not self.fields[f].disabled]
                        new = ValidationError(text, code=error.code)
                        if editable:
                            moved.append((editable[-1], new))
                            continue
                        kept.append(new)
                        continue
                    if "name" in params:
                        kept.append(ValidationError(natural_messages.constraint_message(error, model)))
                        continue
                kept.append(
                    natural_messages.natural(
                        error, label, form_field=field, model_field=model_field, instance=self.instance
                    )
                )
            errors.data[:] = kept
            if not kept:
                del self._errors[name]
        for name, error in moved:
            if name not in self._errors:
                self._errors[name] = self.error_class(renderer=self.renderer)
            self._errors[name].data.append(error)
            self.cleaned_data.pop(name, None)

    def clean_expected_version(self):
        return self.cleaned_data.get("expected_version")

    def save_related(self, instance):
        """Save what hangs off the record (uploads, child rows) after it, in the same transaction."""


class ProgramRecordMixin:
    """A record of a program (before ScopedModelForm in the bases): the program is chosen on creation
    among those the user may change (preselected when there is only one) and fixed once the record
    exists or comes with its program (a contact of an event); the township, if the form has one, is
    chosen among the townships of the counties of those programs (the model's clean() then checks it
    belongs to the chosen program's county)."""

    program_field = "program"
    township_field = "township"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        program = self.fields.get(self.program_field)
        if program is not None:
            if self.instance.pk or getattr(self.instance, f"{self.program_field}_id", None):
                program.disabled = True  # a record does not move between programs
            elif len(only := list(program.queryset[:2])) == 1:
                self.initial[self.program_field] = only[0].pk
        township = self.fields.get(self.township_field)
        if township is not None:
            editable = scoping.programs(user, scoping.CHANGE)
            township.queryset = Region.objects.filter(parent__programs__in=editable).distinct()
            township.error_messages["invalid_choice"] = "所选乡镇不存在，或不属于本项目组的受援县。"


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
                for error in exc.error_list:
                    error = natural_messages.natural(error, self.label or "照片", form_field=self)
                    errors.extend(f"“{getattr(f, 'name', f)}”：{m}" for m in error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned
