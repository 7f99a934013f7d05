"""The record endpoints: one viewset per record type (api.registry), scoped like the web
(accounts.scoping), filtered by the list page's FilterSet, cursor-paginated, versioned (ETag /
If-Match, 412 on a stale write), every write through the model's normal path (save_versioned →
the write kernel's hooks: closed periods, review back to draft, the change log)."""

from django.db import transaction
from django.utils.functional import cached_property
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, pagination, viewsets
from rest_framework.response import Response

from yuanjiang.accounts import scoping
from yuanjiang.api.errors import PreconditionFailed, PreconditionRequired
from yuanjiang.api.serializers import serializer_for
from yuanjiang.common.conflict import StaleVersionError
from yuanjiang.core import context


class CursorPage(pagination.CursorPagination):
    """Pages by primary key: a page of a 10 000-row scope costs what the first page costs."""

    ordering = ("id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _if_match(request) -> int:
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        raise PreconditionRequired()
    raw = raw.removeprefix("W/").strip('"')
    try:
        return int(raw)
    except ValueError as exc:
        raise PreconditionFailed('If-Match 应为读取记录时得到的 ETag，例如 "3"。') from exc


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description='读取记录时得到的 ETag（版本号，如 "3"）· the ETag read with the record; a stale one gets 412',
)


class ApiMixin:
    """Changes made through the API are logged with the token's user and the source "api"."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user if request.user.is_authenticated else None
        self._acting = context.acting_as(
            user, source="api", request_id=getattr(request._request, "request_id", None)
        )
        self._acting.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        acting = getattr(self, "_acting", None)
        if acting is not None:
            self._acting = None
            acting.__exit__(None, None, None)
        return super().finalize_response(request, response, *args, **kwargs)


class RecordViewSet(ApiMixin, viewsets.ModelViewSet):
    model = None
    pagination_class = CursorPage
    filter_backends = (DjangoFilterBackend,)
    http_method_names = ("get", "post", "put", "patch", "delete", "head", "options")

    def get_serializer_class(self):
        return serializer_for(self.model)

    @cached_property
    def _many(self):
        return [f.name for f in self.model._meta.many_to_many]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        action = scoping.VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else scoping.CHANGE
        qs = self.model.objects.all()
        if self._many:
            qs = qs.prefetch_related(*self._many)
        return scoping.restrict(qs, self.request.user, action)

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["expected_version"] = getattr(self, "_expected_version", None)
        return ctx

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def create(self, request, *args, **kwargs):
        model = self.model
        allowed = (
            scoping.may_use_shared(request.user, scoping.CHANGE)
            if getattr(model, "shared", False)
            else scoping.programs(request.user, scoping.CHANGE).exists()
        )
        if not allowed:
            raise exceptions.PermissionDenied(
                f"您没有可填报的援疆项目组，不能新增{model._meta.verbose_name}。"
            )
        response = super().create(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def update(self, request, *args, **kwargs):
        self._expected_version = _if_match(request)
        with transaction.atomic():
            response = super().update(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def perform_update(self, serializer):
        try:
            serializer.save()
        except StaleVersionError as exc:
            raise PreconditionFailed(str(exc)) from exc

    def destroy(self, request, *args, **kwargs):
        expected = _if_match(request)
        with transaction.atomic():
            instance = self.get_object()
            current = (
                type(instance)
                .objects.select_for_update()
                .values_list("version", flat=True)
                .get(pk=instance.pk)
            )
            if current != expected:
                raise PreconditionFailed(str(StaleVersionError(instance, expected, current)))
            instance.delete()
        return Response(status=204)


def viewset_for(endpoint) -> type[RecordViewSet]:
    model = endpoint.model
    zh = str(model._meta.verbose_name)
    en = model.__name__
    tag = f"{model._meta.app_label} · {model._meta.app_config.verbose_name}"
    attrs = {"model": model, "__doc__": f"{zh} · {en}"}
    if endpoint.filterset_class is not None:
        attrs["filterset_class"] = endpoint.filterset_class
    cls = type(f"{en}ViewSet", (RecordViewSet,), attrs)
    return extend_schema_view(
        list=extend_schema(tags=[tag], summary=f"{zh}列表 · list {en}"),
        retrieve=extend_schema(tags=[tag], summary=f"{zh}详情 · read one {en} (ETag = version)"),
        create=extend_schema(tags=[tag], summary=f"新增{zh} · create {en}"),
        update=extend_schema(tags=[tag], summary=f"修改{zh} · replace {en}", parameters=[IF_MATCH]),
        partial_update=extend_schema(
            tags=[tag], summary=f"部分修改{zh} · update {en}", parameters=[IF_MATCH]
        ),
        destroy=extend_schema(tags=[tag], summary=f"删除{zh} · delete {en}", parameters=[IF_MATCH]),
    )(cls)
