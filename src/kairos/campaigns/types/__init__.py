"""The catalogue of campaign types: every module of this package that defines
`CAMPAIGN_TYPE` (a kairos.campaigns.types.base.CampaignType).

Adding a type is one module here (plus its view in the widget, integrations/static/
integrations/widget.js; tests/widget fails until it has one). Nothing else lists the
types: the model's choices, the action types and their once-per-impression rule, the
API and the dashboard all read this registry, so no migration is needed either.
"""

import importlib
import pkgutil

from kairos.campaigns.types.base import CampaignType


def discover():
    found = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        campaign_type = getattr(module, "CAMPAIGN_TYPE", None)
        if isinstance(campaign_type, CampaignType):
            found.append(campaign_type)
    return {t.id: t for t in sorted(found, key=lambda t: (t.position, t.id))}


CAMPAIGN_TYPES = discover()
# What a customer can do with any campaign shown to them, from every type's `actions`.
ACTION_TYPES = tuple(sorted({action for t in CAMPAIGN_TYPES.values() for action in t.actions}))


def type_choices():
    """Campaign.type's choices, read from the registry (a callable: no migration)."""
    return [(t.id, t.name) for t in CAMPAIGN_TYPES.values()]


def action_choices():
    """Action.type's choices, read from the registry (a callable: no migration)."""
    return [(action, action) for action in ACTION_TYPES]
