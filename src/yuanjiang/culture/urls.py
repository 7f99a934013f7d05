from django.urls import path

from yuanjiang.culture import views

app_name = "culture"

urlpatterns = [
    path("events/", views.CultureEventListView.as_view(), name="cultureevent_list"),
    path("events/new/", views.CultureEventCreateView.as_view(), name="cultureevent_create"),
    path("events/<int:pk>/", views.CultureEventDetailView.as_view(), name="cultureevent_detail"),
    path("events/<int:pk>/edit/", views.CultureEventEditView.as_view(), name="cultureevent_edit"),
    path("events/<int:pk>/delete/", views.CultureEventDeleteView.as_view(), name="cultureevent_delete"),
]
