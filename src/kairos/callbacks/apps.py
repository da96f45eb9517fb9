from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    name = "kairos.callbacks"

    def ready(self):
        from kairos.callbacks import receivers  # noqa: F401 - connects them
