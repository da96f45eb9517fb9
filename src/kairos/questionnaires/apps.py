from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "kairos.questionnaires"
