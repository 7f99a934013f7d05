from django.urls import path

from yuanjiang.review import views

app_name = "review"

urlpatterns = [
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("inbox/batch/", views.InboxBatchView.as_view(), name="inbox_batch"),
    path(
        "records/<str:label>/<int:pk>/<str:action>/", views.ReviewActionView.as_view(), name="record_action"
    ),
    path("programs/<slug:slug>/closes/", views.PeriodCloseListView.as_view(), name="periodclose_list"),
    path(
        "programs/<slug:slug>/closes/new/", views.PeriodCloseCreateView.as_view(), name="periodclose_create"
    ),
    path("closes/<int:pk>/reopen/", views.PeriodReopenView.as_view(), name="periodclose_reopen"),
]
