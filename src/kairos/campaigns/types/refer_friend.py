"""Refer a Friend: the customer sends a friend's email address, maybe for a coupon."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from kairos.campaigns.types.base import CampaignType, ContentField
from kairos.campaigns.types.coupons import COUPON_FIELDS, coupon_view
from kairos.errors import Problems


class ReferFriendType(CampaignType):
    def render(self, campaign, locale, context):
        text = lambda name: self.text(campaign.content, name, locale)  # noqa: E731
        return {
            "headline": text("headline"),
            "message": text("message"),
            "image_url": campaign.content.get("image_url") or None,
            "form": {
                "fields": [{"name": "friend_email", "type": "email",
                            "label": text("email_label"), "required": True}],
                "submit_label": text("submit_label"),
            },
            "coupon": coupon_view(campaign, context),
            "thank_you": text("thank_you"),
        }

    def clean_action(self, action_type, payload, context):
        if action_type != "referral":
            return {}
        email = str(payload.get("friend_email") or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise Problems([("friend_email", _("not a valid email address"))]) from None
        return {"friend_email": email}


CAMPAIGN_TYPE = ReferFriendType(
    id="refer_friend",
    position=2,
    name=_("Refer a Friend"),
    description=_("Happy customers recommend you to a friend by email, with an optional "
                  "coupon."),
    icon="💌",
    actions=("referral", "click", "dismiss"),
    fields=(
        ContentField("headline", _("Headline"), default={
            "en": "Share the love", "el": "Μοιραστείτε το"}),
        ContentField("message", _("Message"), "textarea", default={
            "en": "Invite a friend and you both get a gift.",
            "el": "Προσκαλέστε έναν φίλο και κερδίστε και οι δύο ένα δώρο."}),
        ContentField("image_url", _("Image link"), "url", localized=False, default=""),
        ContentField("email_label", _("Email label"), default={
            "en": "Your friend's email", "el": "Το email του φίλου σας"}),
        ContentField("submit_label", _("Button"), default={
            "en": "Send invitation", "el": "Αποστολή πρόσκλησης"}),
        ContentField("thank_you", _("Thank-you text"), "textarea", default={
            "en": "Thank you! Your friend is invited.",
            "el": "Ευχαριστούμε! Ο φίλος σας προσκλήθηκε."}),
        *COUPON_FIELDS,
    ),
)
