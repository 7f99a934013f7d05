from django.urls import path

from yuanjiang.metrics import views

app_name = "metrics"

urlpatterns = [
    path("figures.json", views.FiguresJsonView.as_view(), name="figures_json"),
    path("<str:code>/", views.MetricRecordsView.as_view(), name="metric_records"),
]
