from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "kairos.questionnaires"

    def ready(self):
        from kairos.questionnaires import services  # noqa: F401 - connects the signal receiver
