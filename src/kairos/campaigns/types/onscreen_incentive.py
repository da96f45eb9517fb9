"""On-screen Incentive: a coupon shown on the thank-you page (text, Code 128 or QR)."""

from django.utils.translation import gettext_lazy as _

from kairos.campaigns.types.base import CampaignType, ContentField
from kairos.campaigns.types.coupons import COUPON_FIELDS, coupon_view


class OnscreenIncentiveType(CampaignType):
    def render(self, campaign, locale, context):
        coupon = coupon_view(campaign, context)
        code = coupon["code"] if coupon else ""
        return {
            "headline": self.text(campaign.content, "headline", locale),
            # %{coupon} is where the marketer wants the code inside their sentence.
            "message": self.text(campaign.content, "message", locale).replace("%{coupon}", code),
            "coupon": coupon,
            "button_label": self.text(campaign.content, "button_label", locale),
        }


CAMPAIGN_TYPE = OnscreenIncentiveType(
    id="onscreen_incentive",
    position=3,
    name=_("On-screen Incentive"),
    description=_("A coupon on the thank-you screen, as text, a Code 128 barcode or a QR "
                  "code."),
    icon="🎁",
    actions=("click", "dismiss"),
    fields=(
        ContentField("headline", _("Headline"), default={
            "en": "A gift for your next order", "el": "Ένα δώρο για την επόμενη παραγγελία σας"}),
        ContentField("message", _("Message"), "textarea", help=_("%{coupon} shows the code"),
                     default={"en": "Use code %{coupon} for 10% off.",
                              "el": "Χρησιμοποιήστε τον κωδικό %{coupon} για έκπτωση 10%."}),
        ContentField("button_label", _("Button"), default={
            "en": "Copy code", "el": "Αντιγραφή κωδικού"}),
        *COUPON_FIELDS,
    ),
)
