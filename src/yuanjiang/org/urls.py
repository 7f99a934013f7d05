from django.urls import path

from yuanjiang.org import views

app_name = "org"

urlpatterns = [
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("orgs/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
]
