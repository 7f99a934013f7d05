from django.urls import path

from yuanjiang.claims import views

app_name = "claims"

urlpatterns = [
    path("", views.ClaimCheckListView.as_view(), name="claimcheck_list"),
    path("org/", views.ClaimCheckOrgView.as_view(), name="claimcheck_org"),
    path("<int:pk>/", views.ClaimCheckDetailView.as_view(), name="claimcheck_detail"),
    path("<int:pk>/delete/", views.ClaimCheckDeleteView.as_view(), name="claimcheck_delete"),
]
