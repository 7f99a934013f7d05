"""Errors in one stable JSON shape: {"errors": [{"field", "code", "message"}]}, messages in Chinese.

`field` is the field's name (null for the record as a whole), `code` a stable machine code
(`required`, `invalid`, `period_closed`, `stale_version`, `not_found` …), `message` a sentence
naming what and where, the same one the web form shows."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from yuanjiang.common import messages as natural_messages
from yuanjiang.common.conflict import StaleVersionError
from yuanjiang.review.errors import PeriodClosedError


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "记录已被他人修改：If-Match 中的版本不是当前版本，本次写入未执行。请重新读取后再修改。"
    default_code = "stale_version"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "修改或删除记录须在 If-Match 请求头中给出读取时的 ETag（记录的版本），以免覆盖他人的修改。"
    )
    default_code = "if_match_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def django_errors(exc: DjangoValidationError, model=None, instance=None) -> list[dict]:
    """A model's ValidationError as entries, default Django messages made natural (common.messages)."""
    entries = []
    if hasattr(exc, "error_dict"):
        items = exc.error_dict.items()
    else:
        items = [(NON_FIELD_ERRORS, exc.error_list)]
    for name, errors in items:
        model_field = None
        label = ""
        if model is not None and name != NON_FIELD_ERRORS:
            try:
                model_field = model._meta.get_field(name)
                label = str(model_field.verbose_name)
            except Exception:
                label = name
        for error in errors:
            if model_field is not None:
                error = natural_messages.natural(error, label, model_field=model_field, instance=instance)
            message = error.message % error.params if error.params else error.message
            entries.append(
                {
                    "field": None if name == NON_FIELD_ERRORS else name,
                    "code": error.code or "invalid",
                    "message": str(message),
                }
            )
    return entries


def _flatten(detail, field=None) -> list[dict]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", NON_FIELD_ERRORS) else key
            out.extend(_flatten(value, name if field is None else f"{field}.{name}"))
        return out
    if isinstance(detail, list):
        out = []
        for item in detail:
            out.extend(_flatten(item, field))
        return out
    return [{"field": field, "code": getattr(detail, "code", None) or "invalid", "message": str(detail)}]


def _name_the_field(entry: dict, model) -> None:
    """DRF's own field messages ("请确保该值小于或者等于 100。") name the field they are about."""
    name = entry.get("field")
    if not name or "." in name:
        return
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except Exception:
        return
    if label not in entry["message"] and entry["code"] != "unknown_field":
        entry["message"] = f"{label}：{entry['message']}"


def body(entries: list[dict]) -> dict:
    return {"errors": entries}


def handler(exc, context):
    """DRF's exception handler, every answer in the shape above; refusals of the write kernel too."""
    if isinstance(exc, StaleVersionError):
        return Response(
            body([{"field": None, "code": "stale_version", "message": str(exc)}]),
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, PeriodClosedError):
        return Response(
            body([{"field": None, "code": "period_closed", "message": m} for m in exc.messages]),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        view = context.get("view")
        model = getattr(view, "model", None)
        return Response(body(django_errors(exc, model)), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ProtectedError):
        names = "、".join(sorted({str(o._meta.verbose_name) for o in exc.protected_objects}))
        return Response(
            body([{"field": None, "code": "protected", "message": f"该记录下还有{names}，请先删除它们。"}]),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404):
        text = str(exc)
        if not text or "matches the given query" in text:
            text = "记录不存在，或您无权查看。"
        exc = exceptions.NotFound(text)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您无权进行此操作。")
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        if isinstance(detail, dict | list):
            entries = _flatten(detail)
            model = getattr(context.get("view"), "model", None)
            if model is not None:
                for entry in entries:
                    _name_the_field(entry, model)
        else:
            entries = [
                {"field": None, "code": getattr(detail, "code", exc.default_code), "message": str(detail)}
            ]
        response.data = body(entries)
    return response
