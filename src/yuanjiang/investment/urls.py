from django.urls import path

from yuanjiang.investment import views

app_name = "investment"

urlpatterns = [
    path("", views.InvestmentProjectListView.as_view(), name="investmentproject_list"),
    path("new/", views.InvestmentProjectCreateView.as_view(), name="investmentproject_create"),
    path("<int:pk>/", views.InvestmentProjectDetailView.as_view(), name="investmentproject_detail"),
    path("<int:pk>/edit/", views.InvestmentProjectEditView.as_view(), name="investmentproject_edit"),
    path(
        "<int:parent_pk>/phases/new/",
        views.InvestmentPhaseCreateView.as_view(),
        name="investmentphase_create",
    ),
    path("phases/<int:pk>/edit/", views.InvestmentPhaseEditView.as_view(), name="investmentphase_edit"),
    path("phases/<int:pk>/delete/", views.InvestmentPhaseDeleteView.as_view(), name="investmentphase_delete"),
    path("pipeline/<slug:slug>/", views.PipelineView.as_view(), name="pipeline"),
    path("events/", views.PromotionEventListView.as_view(), name="promotionevent_list"),
    path("events/new/", views.PromotionEventCreateView.as_view(), name="promotionevent_create"),
    path("events/<int:pk>/", views.PromotionEventDetailView.as_view(), name="promotionevent_detail"),
    path("events/<int:pk>/edit/", views.PromotionEventEditView.as_view(), name="promotionevent_edit"),
    path(
        "events/<int:parent_pk>/contacts/new/",
        views.EventContactCreateView.as_view(),
        name="event_contact_create",
    ),
    path("contacts/", views.ContactListView.as_view(), name="contact_list"),
    path("contacts/new/", views.ContactCreateView.as_view(), name="contact_create"),
    path("contacts/<int:pk>/", views.ContactDetailView.as_view(), name="contact_detail"),
    path("contacts/<int:pk>/edit/", views.ContactEditView.as_view(), name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.ContactDeleteView.as_view(), name="contact_delete"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/new/", views.EnterpriseCreateView.as_view(), name="enterprise_create"),
    path("enterprises/<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.EnterpriseEditView.as_view(), name="enterprise_edit"),
    path("institutions/", views.InstitutionListView.as_view(), name="institution_list"),
    path("institutions/new/", views.InstitutionCreateView.as_view(), name="institution_create"),
    path("institutions/<int:pk>/", views.InstitutionDetailView.as_view(), name="institution_detail"),
    path("institutions/<int:pk>/edit/", views.InstitutionEditView.as_view(), name="institution_edit"),
    path("parks/", views.ParkListView.as_view(), name="park_list"),
    path("parks/new/", views.ParkCreateView.as_view(), name="park_create"),
    path("parks/<int:pk>/", views.ParkDetailView.as_view(), name="park_detail"),
    path("parks/<int:pk>/edit/", views.ParkEditView.as_view(), name="park_edit"),
    path(
        "parks/<int:parent_pk>/upgrades/new/",
        views.ParkUpgradeCreateView.as_view(),
        name="parkupgrade_create",
    ),
    path("parks/upgrades/<int:pk>/delete/", views.ParkUpgradeDeleteView.as_view(), name="parkupgrade_delete"),
]
