from django.urls import path

from yuanjiang.projects import views

app_name = "projects"

urlpatterns = [
    path("photos/<int:pk>/", views.ProgressPhotoFileView.as_view(), name="progressphoto_file"),
    path("photos/<int:pk>/delete/", views.ProgressPhotoDeleteView.as_view(), name="progressphoto_delete"),
    path("", views.AidProjectListView.as_view(), name="aidproject_list"),
    path("new/", views.AidProjectCreateView.as_view(), name="aidproject_create"),
    path("transactions/", views.FundTransactionListView.as_view(), name="fundtransaction_list"),
    path("progress/", views.ProgressReportListView.as_view(), name="progressreport_list"),
    path("<int:pk>/", views.AidProjectDetailView.as_view(), name="aidproject_detail"),
    path("<int:pk>/edit/", views.AidProjectEditView.as_view(), name="aidproject_edit"),
    path(
        "<int:parent_pk>/transactions/new/",
        views.FundTransactionCreateView.as_view(),
        name="fundtransaction_create",
    ),
    path("transactions/<int:pk>/edit/", views.FundTransactionEditView.as_view(), name="fundtransaction_edit"),
    path(
        "transactions/<int:pk>/delete/",
        views.FundTransactionDeleteView.as_view(),
        name="fundtransaction_delete",
    ),
    path(
        "<int:parent_pk>/progress/new/",
        views.ProgressReportCreateView.as_view(),
        name="progressreport_create",
    ),
    path("progress/<int:pk>/edit/", views.ProgressReportEditView.as_view(), name="progressreport_edit"),
    path("progress/<int:pk>/delete/", views.ProgressReportDeleteView.as_view(), name="progressreport_delete"),
    path(
        "<int:parent_pk>/outputs/new/", views.ProjectOutputCreateView.as_view(), name="projectoutput_create"
    ),
    path("outputs/<int:pk>/edit/", views.ProjectOutputEditView.as_view(), name="projectoutput_edit"),
    path("outputs/<int:pk>/delete/", views.ProjectOutputDeleteView.as_view(), name="projectoutput_delete"),
]
