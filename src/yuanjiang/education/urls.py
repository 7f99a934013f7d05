from django.urls import path

from yuanjiang.education import views

app_name = "education"

urlpatterns = [
    path("comparison/", views.ComparisonView.as_view(), name="comparison"),
    path("schools/", views.SchoolListView.as_view(), name="school_list"),
    path("schools/new/", views.SchoolCreateView.as_view(), name="school_create"),
    path("schools/<int:pk>/", views.SchoolDetailView.as_view(), name="school_detail"),
    path("schools/<int:pk>/edit/", views.SchoolEditView.as_view(), name="school_edit"),
    path(
        "schools/<int:parent_pk>/classes/new/",
        views.TeachingClassCreateView.as_view(),
        name="teachingclass_create",
    ),
    path("classes/", views.TeachingClassListView.as_view(), name="teachingclass_list"),
    path("classes/<int:pk>/", views.TeachingClassDetailView.as_view(), name="teachingclass_detail"),
    path("classes/<int:pk>/edit/", views.TeachingClassEditView.as_view(), name="teachingclass_edit"),
    path("classes/<int:pk>/delete/", views.TeachingClassDeleteView.as_view(), name="teachingclass_delete"),
    path(
        "classes/<int:parent_pk>/results/new/", views.ExamResultCreateView.as_view(), name="examresult_create"
    ),
    path("results/", views.ExamResultListView.as_view(), name="examresult_list"),
    path("results/<int:pk>/edit/", views.ExamResultEditView.as_view(), name="examresult_edit"),
    path("results/<int:pk>/delete/", views.ExamResultDeleteView.as_view(), name="examresult_delete"),
    path("funds/", views.FundListView.as_view(), name="fund_list"),
    path("funds/new/", views.FundCreateView.as_view(), name="fund_create"),
    path("funds/<int:pk>/", views.FundDetailView.as_view(), name="fund_detail"),
    path("funds/<int:pk>/edit/", views.FundEditView.as_view(), name="fund_edit"),
    path(
        "funds/<int:parent_pk>/donations/new/",
        views.FundDonationCreateView.as_view(),
        name="funddonation_create",
    ),
    path("donations/", views.FundDonationListView.as_view(), name="funddonation_list"),
    path("donations/<int:pk>/edit/", views.FundDonationEditView.as_view(), name="funddonation_edit"),
    path("donations/<int:pk>/delete/", views.FundDonationDeleteView.as_view(), name="funddonation_delete"),
    path("funds/<int:parent_pk>/grants/new/", views.FundGrantCreateView.as_view(), name="fundgrant_create"),
    path("grants/", views.FundGrantListView.as_view(), name="fundgrant_list"),
    path("grants/<int:pk>/edit/", views.FundGrantEditView.as_view(), name="fundgrant_edit"),
    path("grants/<int:pk>/delete/", views.FundGrantDeleteView.as_view(), name="fundgrant_delete"),
]
