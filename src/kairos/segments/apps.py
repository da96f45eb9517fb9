from django.apps import AppConfig


class SegmentsConfig(AppConfig):
    name = "kairos.segments"
