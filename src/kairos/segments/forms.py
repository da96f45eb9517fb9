"""The segment builder's form: name, icon, questionnaire, active, and the rule as JSON."""

import re
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kairos.boundary.forms import BoundaryForm, JsonField
from kairos.questionnaires.models import Questionnaire
from kairos.segments import services
from kairos.segments.models import Segment

# "any[1]" in a problem's path: the second child of an "any of" group.
STEP = re.compile(r"(all|any)\[(\d+)\]")
PART_NAMES = {"field": _("field"), "op": _("operator"), "value": _("value")}
ICON_SUGGESTIONS = ["😍", "🙂", "😠", "😊", "☹️", "⭐", "💎", "🛒", "📦", "🎁", "🔁", "📞"]


@dataclass(frozen=True)
class RuleProblem:
    """One problem of a rule: its path for the builder, `where` in words for people."""

    path: str
    where: str
    message: str


class SegmentForm(BoundaryForm, forms.ModelForm):
    # Edited by the builder (segment-builder.js); a plain textarea when JavaScript is off.
    conditions = JsonField(
        label=_("Conditions (JSON)"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "rule-json"}),
        help_text=_('A group {"all": [...]} or {"any": [...]} of conditions '
                    '{"field": "answers.nps", "op": "lte", "value": 6}.'),
    )

    class Meta:
        model = Segment
        fields = ["name", "icon", "questionnaire", "active", "conditions"]
        labels = {"active": _("Active (campaigns may use it)")}
        widgets = {
            "icon": forms.TextInput(attrs={"list": "segment-icons", "size": 4,
                                           "placeholder": "😊"}),
        }

    def __init__(self, *args, organization, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.rule_problems = []
        questionnaire = self.fields["questionnaire"]
        questionnaire.queryset = Questionnaire.objects.filter(
            organization=organization).order_by("stage")
        questionnaire.empty_label = _("Any questionnaire")
        questionnaire.label_from_instance = lambda q: q.get_stage_display()
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def clean_conditions(self):
        conditions = self.cleaned_data["conditions"]
        problems = services.rule_problems(self.organization, conditions)
        if problems:
            self.rule_problems = [RuleProblem(path, describe_path(conditions, path), message)
                                  for path, message in problems]
            raise forms.ValidationError(ngettext(
                "The conditions have %(count)d problem.",
                "The conditions have %(count)d problems.", len(problems),
            ), params={"count": len(problems)})
        return conditions


def describe_path(rule, path):
    """"any[1].all[0].value" in the builder's words: "Group 2 › Condition 1 › value"."""
    words, node = [], rule
    for part in path.split(".") if path else []:
        step = STEP.fullmatch(part)
        if step is None:
            words.append(str(PART_NAMES.get(part, part)))
            continue
        node, word = child_and_name(node, step.group(1), int(step.group(2)))
        words.append(word)
    return " › ".join(words) if words else str(_("The rule as a whole"))


def child_and_name(group, key, index):
    """The child at `index` and its name, numbered among siblings of its kind, as the
    builder shows them (conditions and groups are counted separately)."""
    siblings = group.get(key) if isinstance(group, dict) else None
    if not isinstance(siblings, list) or index >= len(siblings):
        return None, str(_("Item %(number)d")) % {"number": index + 1}
    child = siblings[index]
    kind_is_group = is_group(child)
    number = sum(1 for s in siblings[:index + 1] if is_group(s) == kind_is_group)
    name = _("Group %(number)d") if kind_is_group else _("Condition %(number)d")
    return child, str(name) % {"number": number}


def is_group(node):
    return isinstance(node, dict) and ("all" in node or "any" in node)
