"""One ModelSerializer per record type, built from the model: its editable fields, foreign keys as
ids limited to what the user may change (accounts.scoping), the record's `version` read-only (the
ETag). Validation is the model's own `full_clean()` — the kernel's clean hooks (closed periods, a
fund never overdrawn …), the plausibility rules and the messages the web form shows."""

from functools import cache

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.validators import UniqueTogetherValidator, UniqueValidator

from yuanjiang.accounts import scoping
from yuanjiang.api.errors import django_errors
from yuanjiang.common.conflict import save_versioned
from yuanjiang.org.models import Program

# Written by the system, never by a client (review goes through the review actions).
READ_ONLY = (
    "id",
    "version",
    "created_at",
    "updated_at",
    "review_status",
    "reviewed_by",
    "reviewed_at",
    "review_note",
)


def _writable_queryset(related, user):
    qs = related._default_manager.all()
    if related is Program or getattr(related, "shared", False) or getattr(related, "scope_path", None):
        return scoping.restrict(qs, user, scoping.CHANGE)
    return qs


class RecordSerializer(serializers.ModelSerializer):
    serializer_related_field = serializers.PrimaryKeyRelatedField

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name, field in fields.items():
            field.validators = [
                v for v in field.validators if not isinstance(v, UniqueValidator | UniqueTogetherValidator)
            ]
            target = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            if isinstance(target, serializers.PrimaryKeyRelatedField) and not target.read_only:
                related = self.Meta.model._meta.get_field(name).related_model
                target.queryset = _writable_queryset(related, user)
        return fields

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            unknown = [key for key in data if key not in self.fields]
            if unknown:
                known = "、".join(sorted(writable))
                raise serializers.ValidationError(
                    {
                        key: [
                            ErrorDetail(
                                f"{self.Meta.model._meta.verbose_name}没有名为“{key}”的字段，本次未保存。可写的字段：{known}",
                                code="unknown_field",
                            )
                        ]
                        for key in unknown
                    }
                )
        return super().to_internal_value(data)

    def get_validators(self):
        return []  # unique-together is checked by full_clean(), with the web form's message

    def validate(self, attrs):
        model = self.Meta.model
        many = {f.name for f in model._meta.many_to_many}
        plain = {k: v for k, v in attrs.items() if k not in many}
        instance = self.instance if self.instance is not None else model()
        for key, value in plain.items():
            setattr(instance, key, value)
        try:
            instance.full_clean()
        except DjangoValidationError as exc:
            detail: dict[str, list] = {}
            for entry in django_errors(exc, model, instance):
                key = entry["field"] or "non_field_errors"
                detail.setdefault(key, []).append(ErrorDetail(entry["message"], code=entry["code"]))
            raise serializers.ValidationError(detail) from exc
        self._built = instance
        self._many = {k: v for k, v in attrs.items() if k in many}
        return attrs

    def create(self, validated_data):
        instance = save_versioned(self._built, expected_version=None)
        for key, value in self._many.items():
            getattr(instance, key).set(value)
        return instance

    def update(self, instance, validated_data):
        built = self._built
        save_versioned(built, expected_version=self.context["expected_version"])
        for key, value in self._many.items():
            getattr(built, key).set(value)
        return built


def _fields(model) -> list[str]:
    names = []
    for f in model._meta.get_fields():
        if f.auto_created and not f.concrete:
            continue  # reverse relations
        if isinstance(f, models.FileField):
            continue  # files have their own scoped download pages
        if not f.concrete and not f.many_to_many:
            continue
        if f.name in READ_ONLY or getattr(f, "editable", True):
            names.append(f.name)
    return names


def _describe(field, model) -> str:
    f = model._meta.get_field(field)
    zh = str(getattr(f, "verbose_name", field))
    text = f"{zh} · {field.replace('_', ' ')}"
    if getattr(f, "help_text", ""):
        text += f"（{f.help_text}）"
    if f.is_relation:
        text += f" — {f.related_model._meta.verbose_name}的ID · id of {f.related_model.__name__}"
    if isinstance(f, models.DecimalField) and "money" in type(f).__name__.lower():
        text += " — 元（人民币）· CNY"
    return text


@cache
def serializer_for(model) -> type[RecordSerializer]:
    names = _fields(model)
    extra = {name: {"help_text": _describe(name, model)} for name in names}
    for name in READ_ONLY:
        if name in names:
            extra[name]["read_only"] = True
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": names,
            "read_only_fields": [n for n in READ_ONLY if n in names],
            "extra_kwargs": extra,
        },
    )
    return type(
        f"{model.__name__}Serializer",
        (RecordSerializer,),
        {"Meta": meta, "__doc__": str(model._meta.verbose_name)},
    )
