from django.urls import path

from kairos.reports import views

app_name = "reports"
urlpatterns = [path("callbacks/", views.callbacks_report, name="callbacks")]
