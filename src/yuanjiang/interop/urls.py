from django.urls import path

from yuanjiang.interop import export_views

app_name = "interop"

urlpatterns: list = [
    path("<slug:kind>/template.xlsx", export_views.template_download, name="template"),
]
