"""What a campaign type is: its content fields, what the widget shows, what an action records.

Adding a type is one module in this package defining CAMPAIGN_TYPE (see __init__.py),
plus its view in the widget. A dashboard preview template
(campaigns/preview_<id>.html) is optional: without one the generic preview is used.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kairos.languages import CODES as LOCALES


@dataclass(frozen=True)
class ContentField:
    """One editable piece of a campaign's content.

    Localised fields hold {"el": ..., "en": ...}; the others one value for all languages.
    """

    name: str
    label: str
    kind: str = "text"  # text | textarea | url | choice
    default: object = ""
    localized: bool = True
    required: bool = False
    help: str = ""
    choices: tuple = ()


@dataclass(frozen=True)
class CampaignType:
    id: str
    name: str
    description: str
    fields: tuple[ContentField, ...]
    actions: tuple[str, ...]  # action types a customer may record, each once per impression
    icon: str = ""
    position: int = 100  # in the catalogue
    # Its customers ask to be called back: it may be limited to the call centre's hours
    # and to a number of open requests (max_open_callbacks, callback_hours).
    offers_callbacks: bool = False
    extra: dict = field(default_factory=dict)

    def default_content(self):
        return {f.name: dict(f.default) if isinstance(f.default, dict) else f.default
                for f in self.fields}

    def clean_content(self, content):
        """Defaults merged with what was given; returns (content, [(field, message)])."""
        merged, problems = self.default_content(), []
        known = {f.name: f for f in self.fields}
        for name, value in (content or {}).items():
            if name not in known:
                problems.append((f"content.{name}", _("unknown content field")))
                continue
            cleaned = clean_field(known[name], value, problems)
            if cleaned is not None:
                merged[name] = merge(merged[name], cleaned)
        for name, spec in known.items():
            if spec.required and not any_text(merged[name]):
                problems.append((f"content.{name}", _("is required")))
        return merged, problems

    def text(self, content, name, locale):
        value = content.get(name, "")
        if isinstance(value, dict):
            return value.get(locale) or value.get("en") or value.get("el") or ""
        return value

    def render(self, campaign, locale, context):
        """The content the widget shows, in one locale. Types override this."""
        return {f.name: self.text(campaign.content, f.name, locale) for f in self.fields}

    def clean_action(self, action_type, payload, context):
        """Validated action data for storage; raises kairos.errors.Problems. Types extend."""
        return {}


def any_text(value):
    if isinstance(value, dict):
        return any(str(v).strip() for v in value.values())
    return bool(str(value).strip())


def merge(current, cleaned):
    if isinstance(current, dict) and isinstance(cleaned, dict):
        return {**current, **cleaned}
    return cleaned


MAX_TEXT = 2000


def clean_field(spec, value, problems):
    name = f"content.{spec.name}"
    if spec.localized:
        if isinstance(value, str):
            value = {locale: value for locale in LOCALES}
        if not isinstance(value, dict) or not set(value) <= set(LOCALES):
            problems.append((name, _("must be an object with a text per language (%(codes)s)")
                             % {"codes": ", ".join(LOCALES)}))
            return None
        return {k: clean_scalar(spec, v, f"{name}.{k}", problems) for k, v in value.items()}
    return clean_scalar(spec, value, name, problems)


def clean_scalar(spec, value, name, problems):
    if not isinstance(value, str):
        problems.append((name, _("must be text")))
        return ""
    value = value.strip()
    if len(value) > MAX_TEXT:
        problems.append((name, _("must be at most %(max)s characters") % {"max": MAX_TEXT}))
    if spec.kind == "url" and value and not value.startswith(("https://", "http://", "/")):
        problems.append((name, _("must be a link starting with https://")))
    if spec.kind == "choice" and value not in spec.choices:
        problems.append((name, _("must be one of %(codes)s") % {"codes": ", ".join(spec.choices)}))
    return value
