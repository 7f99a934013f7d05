from django.urls import path

from yuanjiang.reports import views

app_name = "reports"

urlpatterns = [
    path("targets/", views.TargetListView.as_view(), name="target_list"),
    path("targets/new/", views.TargetCreateView.as_view(), name="target_create"),
    path("targets/<int:pk>/edit/", views.TargetEditView.as_view(), name="target_edit"),
    path("targets/<int:pk>/delete/", views.TargetDeleteView.as_view(), name="target_delete"),
    path("published/<int:pk>/", views.PublicationDetailView.as_view(), name="publication_detail"),
    path("published/<int:pk>/<str:fmt>/", views.PublicationFileView.as_view(), name="publication_file"),
    path("<str:kind>/<slug:slug>/", views.ReportView.as_view(), name="report"),
    path("<str:kind>/<slug:slug>/download/", views.ReportDownloadView.as_view(), name="download"),
    path("<str:kind>/<slug:slug>/publish/", views.PublishView.as_view(), name="publish"),
]
