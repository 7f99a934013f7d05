from django.urls import path

from yuanjiang.metrics import views

app_name = "metrics"

urlpatterns = [
    path("figures.json", views.FiguresJsonView.as_view(), name="figures_json"),
    path("reported/", views.ManualValueListView.as_view(), name="manualvalue_list"),
    path("reported/new/", views.ManualValueCreateView.as_view(), name="manualvalue_create"),
    path("reported/<int:pk>/", views.ManualValueDetailView.as_view(), name="manualvalue_detail"),
    path("reported/<int:pk>/edit/", views.ManualValueEditView.as_view(), name="manualvalue_edit"),
    path("reported/<int:pk>/delete/", views.ManualValueDeleteView.as_view(), name="manualvalue_delete"),
    path("<str:code>/", views.MetricRecordsView.as_view(), name="metric_records"),
]
