from django.urls import path

from kairos.integrations import views

app_name = "integrations"
urlpatterns = [
    path("widget.js", views.widget, name="widget"),
    path("widget.<str:version>.js", views.widget_versioned, name="widget_versioned"),
    path("demo/", views.demo, name="demo"),
]
