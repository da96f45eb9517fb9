from django.apps import AppConfig


class SegmentsConfig(AppConfig):
    name = "kairos.segments"

    def ready(self):
        # sql connects the receiver that gives every new SQLite connection the functions
        # rules need (kairos_normalise, kairos_re2_search) before any connection exists: a
        # process that opened one before importing it would fail on them. checks registers
        # the check that lists saved segments whose rules no longer validate.
        from kairos.segments import checks, sql  # noqa: F401
