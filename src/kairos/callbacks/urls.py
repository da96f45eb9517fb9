from django.urls import path

from kairos.callbacks import views

app_name = "callbacks"
urlpatterns = [
    path("", views.callback_list, name="list"),
    path("<int:pk>/", views.callback_detail, name="detail"),
    path("<int:pk>/assign/", views.callback_assign, name="assign"),
    path("<int:pk>/attempt/", views.callback_attempt, name="attempt"),
    path("<int:pk>/comment/", views.callback_comment, name="comment"),
    path("<int:pk>/resolve/", views.callback_resolve, name="resolve"),
    path("<int:pk>/status/", views.callback_status, name="status"),
    path("<int:pk>/reopen/", views.callback_reopen, name="reopen"),
    path("<int:pk>/undo/", views.callback_undo, name="undo"),
]
