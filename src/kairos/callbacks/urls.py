from django.urls import path

from kairos.callbacks import views

app_name = "callbacks"
urlpatterns = [
    path("", views.callback_list, name="list"),
    path("<int:pk>/status/", views.callback_status, name="status"),
]
