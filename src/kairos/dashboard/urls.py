from django.urls import path

from kairos.reports import views

app_name = "dashboard"
urlpatterns = [path("", views.home, name="home")]
