from django.urls import path

from yuanjiang.interop import views

app_name = "interop"

urlpatterns: list = [
    path("import/", views.ImportIndexView.as_view(), name="index"),
    path("import/<slug:kind>/", views.ImportView.as_view(), name="import"),
    path("import/<slug:kind>/confirm/", views.ConfirmView.as_view(), name="import_confirm"),
]
