from django.apps import AppConfig


class CallbacksConfig(AppConfig):
    name = "kairos.callbacks"

    def ready(self):
        from kairos.callbacks import receivers  # noqa: F401 - connects them
        from kairos.callbacks.models import open_callback_count
        from kairos.campaigns.capacity import count_open_callbacks_with

        count_open_callbacks_with(open_callback_count)
