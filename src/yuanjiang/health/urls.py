from django.urls import path

from yuanjiang.health import views

app_name = "health"

urlpatterns = [
    path("", views.MedicalActivityListView.as_view(), name="medicalactivity_list"),
    path("new/", views.MedicalActivityCreateView.as_view(), name="medicalactivity_create"),
    path("coverage/", views.TownshipCoverageView.as_view(), name="township_coverage"),
    path("<int:pk>/", views.MedicalActivityDetailView.as_view(), name="medicalactivity_detail"),
    path("<int:pk>/edit/", views.MedicalActivityEditView.as_view(), name="medicalactivity_edit"),
    path("<int:pk>/delete/", views.MedicalActivityDeleteView.as_view(), name="medicalactivity_delete"),
]
