from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "kairos.privacy"
