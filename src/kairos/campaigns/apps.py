from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "kairos.campaigns"
