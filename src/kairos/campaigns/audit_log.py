"""A campaign's audit log in words: who changed what, with segment names, caps and
content fields as the dashboard shows them."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kairos.campaigns import services
from kairos.campaigns.forms import WEEKDAY_NAMES
from kairos.formats import shown_date
from kairos.languages import NAMES as LOCALE_NAMES
from kairos.languages import SIDE_BY_SIDE as LOCALES_SIDE_BY_SIDE
from kairos.segments.models import Segment

FIELD_LABELS = {
    "title": gettext_lazy("Title"), "active": gettext_lazy("Active"),
    "start_date": gettext_lazy("Start date"), "end_date": gettext_lazy("End date"),
    "frequency_cap_minutes": gettext_lazy("Frequency cap"),
    "priority": gettext_lazy("Priority"), "languages": gettext_lazy("Languages"),
    "segment_ids": gettext_lazy("Segments"), "content": gettext_lazy("Content"),
    "holdout_percent": gettext_lazy("Holdout"),
    "max_open_callbacks": gettext_lazy("Maximum open callback requests"),
    "callback_hours": gettext_lazy("Callback hours"),
    "budget_exempt": gettext_lazy("Exempt from the contact budget"),
    "retention_months": gettext_lazy("Retention (months)"),
}
AUDIT_ACTIONS = {
    "created": gettext_lazy("created"), "changed": gettext_lazy("changed"),
    "archived": gettext_lazy("archived"), "duplicated": gettext_lazy("duplicated"),
}


@dataclass(frozen=True)
class AuditChange:
    label: str
    before: str
    after: str


@dataclass
class AuditRow:
    entry: object
    action: str
    changes: list = field(default_factory=list)


def audit_rows(campaign):
    entries = list(campaign.audit.select_related("user"))
    names = segment_names(campaign.organization, entries)
    return [AuditRow(e, AUDIT_ACTIONS.get(e.action, e.action),
                     audit_changes(e, names, campaign.campaign_type)) for e in entries]


def segment_names(organization, entries):
    """{segment id: name} for every segment an entry mentions, in one query."""
    ids = {pk for entry in entries for pk in mentioned_segment_ids(entry)}
    return dict(Segment.objects.filter(organization=organization, pk__in=ids)
                .values_list("pk", "name"))


def mentioned_segment_ids(entry):
    value = entry.changes.get("segment_ids")
    if entry.action == "created":
        return value or []
    before, after = value or ([], [])
    return [*(before or []), *(after or [])]


def audit_changes(entry, names, campaign_type):
    """(field, before, after) lines; a creation lists what it was created with."""
    if entry.action == "created":
        pairs = {name: [None, value] for name, value in entry.changes.items()}
        pairs["content"] = [campaign_type.default_content(), entry.changes.get("content", {})]
    else:
        pairs = entry.changes
    lines = []
    for name, (before, after) in pairs.items():
        if name == "content":
            lines += content_changes(before or {}, after or {}, campaign_type)
        else:
            label = FIELD_LABELS.get(name, name)
            lines.append(AuditChange(label, shown(name, before, names),
                                     shown(name, after, names)))
    return lines


def content_changes(before, after, campaign_type):
    labels = {spec.name: spec.label for spec in campaign_type.fields}
    # The type's order, then anything the type no longer has, so nothing is hidden.
    names = [*labels, *sorted((set(before) | set(after)) - set(labels))]
    lines = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if isinstance(old, dict) or isinstance(new, dict):
            for locale in LOCALES_SIDE_BY_SIDE:
                old_text, new_text = in_locale(old, locale), in_locale(new, locale)
                if old_text != new_text:
                    label = f"{labels.get(name, name)} ({LOCALE_NAMES[locale]})"
                    lines.append(AuditChange(label, old_text or "—", new_text or "—"))
        elif old != new:
            lines.append(AuditChange(labels.get(name, name), old or "—", new or "—"))
    return lines


def in_locale(value, locale):
    return value.get(locale, "") if isinstance(value, dict) else (value or "")


def shown(name, value, names):
    """One audited value in words: segment names, “no cap”, “every language”…"""
    if name == "segment_ids" and value is not None:
        return ", ".join(names.get(pk, f"#{pk}") for pk in value) or "—"
    if name == "frequency_cap_minutes" and value is not None:
        return cap_text(value)
    if name == "languages" and value is not None:
        return ", ".join(str(LOCALE_NAMES.get(code, code)) for code in value) or _("every language")
    if name in ("start_date", "end_date") and value:
        return str(shown_date(value))
    if name == "holdout_percent" and value is not None:
        return f"{value}%"
    if name == "max_open_callbacks" and value is None:
        return _("no limit")
    if name == "callback_hours":
        return hours_text(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "—" if value in (None, "") else str(value)


def hours_text(week):
    if not week:
        return _("any time")
    return ", ".join(f"{WEEKDAY_NAMES[day]} {interval[0]}–{interval[1]}"
                     for day, interval in week.items() if interval)


def cap_text(minutes):
    if not minutes:
        return _("no cap")
    parts = services.cap_parts(minutes)
    return _("%(days)s d %(hours)s h %(minutes)s min") % parts
