from django.urls import path

from kairos.questionnaires import views

app_name = "questionnaires"
urlpatterns = [
    path("", views.responses, name="responses"),
    path("<uuid:response_id>/", views.response_detail, name="response"),
    path("questionnaires/", views.questionnaires, name="questionnaires"),
    path("questionnaires/<int:pk>/", views.questionnaire_editor, name="questionnaire"),
]
