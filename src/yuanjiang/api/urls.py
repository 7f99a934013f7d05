from django.urls import include, path
from django.utils.functional import cached_property
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from yuanjiang.api import figures, registry, web_views
from yuanjiang.api.views import viewset_for

app_name = "api"


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for endpoint in registry.endpoints():
        router.register(endpoint.prefix, viewset_for(endpoint), basename=endpoint.basename)
    return router


class _Routes:
    """The routes, built on first use: the record types are read from the other apps' URL patterns,
    which exist only once the root URLconf is loaded."""

    @cached_property
    def urlpatterns(self):
        return build_router().urls


urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/", web_views.token_list, name="tokens"),
    path("iati/<slug:slug>.xml", web_views.iati_download, name="iati"),
    path("tokens/<int:pk>/revoke/", web_views.token_revoke, name="token_revoke"),
    path("v1/metrics/", figures.MetricsView.as_view(), name="metrics"),
    path("v1/metrics/<str:code>/records/", figures.MetricRecordsView.as_view(), name="metric_records"),
    path("v1/report-cards/<str:kind>/<slug:slug>/", figures.ReportView.as_view(), name="report"),
    path(
        "v1/opendata/<str:kind>/<slug:slug>/figures.<str:fmt>",
        figures.OpenDataView.as_view(),
        name="opendata",
    ),
    path("v1/claims/check/", figures.ClaimsCheckView.as_view(), name="claims_check"),
    path("v1/warnings/", figures.WarningsView.as_view(), name="warnings"),
    path("v1/", include(_Routes())),
]
