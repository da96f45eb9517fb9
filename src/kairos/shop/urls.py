from django.urls import path

from kairos.shop import views

app_name = "shop"
urlpatterns = [
    path("", views.callback_settings, name="callbacks"),
    path("statuses/", views.add_status, name="add_status"),
    path("statuses/<slug:key>/", views.change_status, name="status"),
]
