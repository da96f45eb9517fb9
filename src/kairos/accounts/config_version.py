"""A shop's configuration version: the one place that moves it.

App processes hold each shop's compiled configuration in memory (campaigns, segments,
published questionnaires and the field types they read: campaigns/configuration.py; the
shop itself: integrations/site_keys.py) until the shop's `config_version` moves. So every
write of a model that feeds those copies must move it — whether it comes from a service,
the ORM or the Django admin. Such models inherit `Configuration`; their own signals move
the version in the writer's transaction. Only they are watched: responses and impressions,
written on the hot path, are not configuration and pay nothing for this.

Bulk writes send no signals, so a configuration model's manager is a
ConfigurationQuerySet, whose update(), bulk_create() and bulk_update() move the version of
every shop they touch. The shop (`Organization`) moves its own version in the UPDATE that
saves it.
"""

from django.apps import apps
from django.db import models
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save


class Configuration:
    """Mixin of a model that app processes hold compiled: every write moves the version.

    Its manager must be (or derive from) ConfigurationQuerySet."""

    organization_lookup = "organization_id"  # from this model to its shop's id

    def configuration_owner_id(self):
        """The id of the shop whose configuration this row is part of."""
        return self.organization_id


class ConfigurationQuerySet(models.QuerySet):
    """Bulk writes of configuration move the version of each shop they touch."""

    def update(self, **kwargs):
        shops = set(self.values_list(self.model.organization_lookup, flat=True).distinct())
        rows = super().update(**kwargs)
        changed(shops)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        changed({row.configuration_owner_id() for row in created})
        return created

    def bulk_update(self, objs, *args, **kwargs):
        rows = super().bulk_update(objs, *args, **kwargs)
        changed({row.configuration_owner_id() for row in objs})
        return rows


def configuration_changed(organization_id):
    """Tell every app process that this shop's configuration changed."""
    if organization_id is not None:
        organization = apps.get_model("accounts", "Organization")
        organization.objects.filter(pk=organization_id).update(
            config_version=F("config_version") + 1)


def changed(organization_ids):
    for organization_id in sorted(organization_ids - {None}):
        configuration_changed(organization_id)


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
