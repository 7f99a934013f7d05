from django.urls import path

from yuanjiang.talent import views

app_name = "talent"

urlpatterns = [
    path("workers/", views.AidWorkerListView.as_view(), name="aidworker_list"),
    path("workers/new/", views.AidWorkerCreateView.as_view(), name="aidworker_create"),
    path("workers/<int:pk>/", views.AidWorkerDetailView.as_view(), name="aidworker_detail"),
    path("workers/<int:pk>/edit/", views.AidWorkerEditView.as_view(), name="aidworker_edit"),
    path("workers/<int:pk>/delete/", views.AidWorkerDeleteView.as_view(), name="aidworker_delete"),
    path("visits/", views.TalentVisitListView.as_view(), name="talentvisit_list"),
    path("visits/new/", views.TalentVisitCreateView.as_view(), name="talentvisit_create"),
    path("visits/<int:pk>/", views.TalentVisitDetailView.as_view(), name="talentvisit_detail"),
    path("visits/<int:pk>/edit/", views.TalentVisitEditView.as_view(), name="talentvisit_edit"),
    path("visits/<int:pk>/delete/", views.TalentVisitDeleteView.as_view(), name="talentvisit_delete"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.AgreementEditView.as_view(), name="agreement_edit"),
    path("agreements/<int:pk>/delete/", views.AgreementDeleteView.as_view(), name="agreement_delete"),
    path("agreements/<int:pk>/document/", views.AgreementDocumentView.as_view(), name="agreement_document"),
    path("trainings/", views.TrainingCourseListView.as_view(), name="trainingcourse_list"),
    path("trainings/new/", views.TrainingCourseCreateView.as_view(), name="trainingcourse_create"),
    path("trainings/<int:pk>/", views.TrainingCourseDetailView.as_view(), name="trainingcourse_detail"),
    path("trainings/<int:pk>/edit/", views.TrainingCourseEditView.as_view(), name="trainingcourse_edit"),
    path(
        "trainings/<int:pk>/delete/", views.TrainingCourseDeleteView.as_view(), name="trainingcourse_delete"
    ),
]
