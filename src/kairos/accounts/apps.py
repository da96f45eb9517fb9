from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kairos.accounts"

    def ready(self):
        from kairos.accounts.config_version import watch_configuration

        watch_configuration()
