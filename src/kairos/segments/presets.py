"""Ready-made segments: bodies that can be POSTed back to /api/v1/segments as they are."""

from django.utils.translation import gettext_lazy as _

PRESETS = {
    "promoters": {
        "name": _("Promoters"), "icon": "😍",
        "description": _("NPS 9–10: your fans."),
        "conditions": {"all": [{"field": "answers.nps", "op": "between", "value": [9, 10]}]},
    },
    "passives": {
        "name": _("Passives"), "icon": "🙂",
        "description": _("NPS 7–8: satisfied but unenthusiastic."),
        "conditions": {"all": [{"field": "answers.nps", "op": "between", "value": [7, 8]}]},
    },
    "detractors": {
        "name": _("Detractors"), "icon": "😠",
        "description": _("NPS 0–6: unhappy customers worth a call."),
        "conditions": {"all": [{"field": "answers.nps", "op": "between", "value": [0, 6]}]},
    },
    "happy": {
        "name": _("Happy customers"), "icon": "😊",
        "description": _("Rated their experience 8 or more out of 10."),
        "conditions": {"all": [{"field": "answers.rating", "op": "gte", "value": 8}]},
    },
    "unhappy": {
        "name": _("Unhappy customers"), "icon": "☹️",
        "description": _("Rated their experience 4 or less out of 10."),
        "conditions": {"all": [{"field": "answers.rating", "op": "lte", "value": 4}]},
    },
}


def preset_bodies():
    return [
        {"key": key, "name": str(p["name"]), "icon": p["icon"],
         "description": str(p["description"]), "conditions": p["conditions"], "active": True}
        for key, p in PRESETS.items()
    ]
