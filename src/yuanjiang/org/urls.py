from django.urls import path

from yuanjiang.org import setup, views

app_name = "org"

urlpatterns = [
    path("programs/<slug:slug>/", views.ProgramDetailView.as_view(), name="program_detail"),
    path("orgs/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("setup/program/", setup.program_setup, name="program_setup"),
    path("programs/<slug:slug>/invitations/", setup.program_invitations, name="program_invitations"),
    path("programs/<slug:slug>/handover/", setup.program_handover, name="program_handover"),
    path("programs/<slug:slug>/baton/", views.ProgramBatonView.as_view(), name="program_baton"),
    path(
        "programs/<slug:slug>/invitations/<int:pk>/revoke/",
        setup.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invite/<str:token>/", setup.invitation_accept, name="invitation_accept"),
]
