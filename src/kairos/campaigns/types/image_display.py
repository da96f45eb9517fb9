"""Image Display / Store Review: a clickable image, optionally a different link per store."""

from django.utils.translation import gettext_lazy as _

from kairos.campaigns.types.base import CampaignType, ContentField


class ImageDisplayType(CampaignType):
    def render(self, campaign, locale, context):
        return {
            "image_url": campaign.content.get("image_url", ""),
            "alt": self.text(campaign.content, "alt", locale),
            "link_url": store_link(campaign.content, context.get("store_id")),
        }


def store_link(content, store_id):
    """The store's own link ("athens = https://…" lines) when it has one, else the default."""
    for line in (content.get("store_links") or "").splitlines():
        store, _sep, link = line.partition("=")
        if store_id and store.strip() == store_id and link.strip():
            return link.strip()
    return content.get("link_url", "")


CAMPAIGN_TYPE = ImageDisplayType(
    id="image_display",
    position=4,
    name=_("Image Display / Store Review"),
    description=_("A clickable image with a link — for example to review the store the "
                  "customer bought from."),
    icon="🖼️",
    actions=("click", "dismiss"),
    fields=(
        ContentField("image_url", _("Image link"), "url", localized=False, required=True,
                     default="/static/kairos/img/review-us.svg"),
        ContentField("alt", _("Image description"), default={
            "en": "Review us", "el": "Αξιολογήστε μας"}),
        ContentField("link_url", _("Link"), "url", localized=False, required=True,
                     default="https://www.google.com/maps"),
        ContentField("store_links", _("Link per store"), "textarea", localized=False,
                     help=_("One per line: store id = https://…")),
    ),
)
