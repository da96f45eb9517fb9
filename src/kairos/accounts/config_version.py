"""A shop's configuration version: the one place that moves it.

App processes hold each shop's compiled configuration in memory (campaigns, segments,
published questionnaires and the field types they read: campaigns/configuration.py; the
shop itself: integrations/site_keys.py) until the shop's `config_version` moves. So every
write of a model that feeds those copies must move it — whether it comes from a service,
the ORM or the Django admin. Such models inherit `Configuration`; their own signals move
the version in the writer's transaction. Only they are watched: responses and impressions,
written on the hot path, are not configuration and pay nothing for this.

The shop (`Organization`) moves its own version in the UPDATE that saves it.
`QuerySet.update()` and `bulk_create()` send no signals: a caller that uses them on a
configuration model calls `configuration_changed` itself.
"""

from django.apps import apps
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save


class Configuration:
    """Mixin of a model that app processes hold compiled: every write moves the version."""

    def configuration_owner_id(self):
        """The id of the shop whose configuration this row is part of."""
        return self.organization_id


def configuration_changed(organization_id):
    """Tell every app process that this shop's configuration changed."""
    if organization_id is not None:
        organization = apps.get_model("accounts", "Organization")
        organization.objects.filter(pk=organization_id).update(
            config_version=F("config_version") + 1)


def row_written(sender, instance, **kwargs):
    configuration_changed(instance.configuration_owner_id())


def relation_changed(sender, instance, action, **kwargs):
    # `instance` is either end of the relation; both belong to the same shop.
    if action in ("post_add", "post_remove", "post_clear"):
        configuration_changed(instance.configuration_owner_id())


def configuration_models():
    return [model for model in apps.get_models() if issubclass(model, Configuration)]


def watch_configuration():
    """Connect the receivers (AccountsConfig.ready): once, for configuration models only."""
    for model in configuration_models():
        uid = f"config_version:{model._meta.label}"
        post_save.connect(row_written, sender=model, dispatch_uid=uid)
        post_delete.connect(row_written, sender=model, dispatch_uid=uid)
        for field in model._meta.many_to_many:
            m2m_changed.connect(relation_changed, sender=field.remote_field.through,
                                dispatch_uid=f"{uid}.{field.name}")
