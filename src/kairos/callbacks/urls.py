from django.urls import path

from kairos.callbacks import views

app_name = "callbacks"
urlpatterns = [
    path("", views.callback_list, name="list"),
    path("<int:pk>/", views.callback_detail, name="detail"),
]
