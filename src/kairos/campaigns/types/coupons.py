"""Coupon content shared by the types that hand one out."""

from django.utils.translation import gettext_lazy as _

from kairos.campaigns.types.base import ContentField

COUPON_FIELDS = (
    ContentField("coupon_mode", _("Coupon"), "choice", default="single", localized=False,
                 choices=("none", "single", "pool"),
                 help=_("none; one code for everyone; or one code each from an imported pool")),
    ContentField("coupon_code", _("Coupon code (single)"), localized=False, default=""),
    ContentField("coupon_format", _("Show the coupon as"), "choice", default="text",
                 localized=False, choices=("text", "code128", "qr")),
)


def coupon_view(campaign, context):
    """{"code", "format", "image_url"} for the widget, or None when there is no coupon."""
    code = context.get("coupon_code")
    if not code:
        return None
    coupon_format = campaign.content.get("coupon_format", "text")
    image_url = None
    if coupon_format != "text" and context.get("impression_id"):
        image_url = f"/api/public/v1/impressions/{context['impression_id']}/coupon.svg"
    return {"code": code, "format": coupon_format, "image_url": image_url}
