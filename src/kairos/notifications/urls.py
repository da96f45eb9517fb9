from django.urls import path

from kairos.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("watch/<int:campaign_id>/", views.watch, name="watch"),
]
