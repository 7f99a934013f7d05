from django.urls import path

from yuanjiang.consumption import views

app_name = "consumption"

urlpatterns = [
    path("purchases/", views.PurchaseListView.as_view(), name="purchase_list"),
    path("purchases/new/", views.PurchaseCreateView.as_view(), name="purchase_create"),
    path("purchases/<int:pk>/", views.PurchaseDetailView.as_view(), name="purchase_detail"),
    path("purchases/<int:pk>/edit/", views.PurchaseEditView.as_view(), name="purchase_edit"),
    path("purchases/<int:pk>/delete/", views.PurchaseDeleteView.as_view(), name="purchase_delete"),
]
