from django.urls import path

from kairos.dashboard import views

app_name = "dashboard"
urlpatterns = [path("", views.overview, name="home")]
