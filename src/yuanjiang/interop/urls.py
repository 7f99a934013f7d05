from django.urls import path

from yuanjiang.interop import export_views

app_name = "interop"

urlpatterns: list = [
    path("templates/", export_views.template_index, name="template_index"),
    path("<slug:kind>/template.xlsx", export_views.template_download, name="template"),
]
