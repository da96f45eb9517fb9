"""The catalogue of campaign types. Adding one: a module here, listed below."""

from kairos.campaigns.types.callback_request import CALLBACK_REQUEST
from kairos.campaigns.types.image_display import IMAGE_DISPLAY
from kairos.campaigns.types.onscreen_incentive import ONSCREEN_INCENTIVE
from kairos.campaigns.types.refer_friend import REFER_FRIEND

CAMPAIGN_TYPES = {t.id: t for t in (CALLBACK_REQUEST, REFER_FRIEND, ONSCREEN_INCENTIVE,
                                    IMAGE_DISPLAY)}
ACTION_TYPES = ("callback_request", "click", "referral", "dismiss")


def campaign_type(type_id):
    return CAMPAIGN_TYPES[type_id]
