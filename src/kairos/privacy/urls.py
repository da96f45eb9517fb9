from django.urls import path

from kairos.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.privacy_settings, name="settings"),
    path("customer/", views.customer_data, name="customer"),
]
