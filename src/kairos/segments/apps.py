from django.apps import AppConfig


class SegmentsConfig(AppConfig):
    name = "kairos.segments"

    def ready(self):
        # Connects the receiver that gives every new SQLite connection the function rules
        # need in SQL (kairos_re2_search), before any connection exists: a process that
        # opened one before importing the module would fail on regular expressions.
        from kairos.segments import sql  # noqa: F401
