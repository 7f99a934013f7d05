from django.urls import path

from yuanjiang.warnings import views

app_name = "warnings"

urlpatterns = [
    path("programs/<slug:slug>/", views.ProgramWarningsView.as_view(), name="program"),
    path("programs/<slug:slug>/acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
]
