from django.urls import path

from yuanjiang.interop import export_views, views

app_name = "interop"

urlpatterns: list = [
    path("templates/", export_views.template_index, name="template_index"),
    path("<slug:kind>/template.xlsx", export_views.template_download, name="template"),
    path("import/", views.ImportIndexView.as_view(), name="index"),
    path("import/<slug:kind>/", views.ImportView.as_view(), name="import"),
    path("import/<slug:kind>/confirm/", views.ConfirmView.as_view(), name="import_confirm"),
]
