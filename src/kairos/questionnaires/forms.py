"""Forms of the responses dashboard: the list's filters and the questionnaire editor."""

from django import forms
from django.core.validators import validate_slug
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from kairos.boundary.forms import BoundaryForm
from kairos.questionnaires.models import Question, Questionnaire, QuestionType, Stage

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILTER_ORDER = ["stage", "from", "to", "nps_min", "nps_max", "store", "q"]


class ResponseFilterForm(BoundaryForm, forms.Form):
    """The GET filters of the responses list; dates are days in the shop's time zone."""

    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    nps_min = forms.IntegerField(label=_("NPS from"), required=False, min_value=0, max_value=10)
    nps_max = forms.IntegerField(label=_("NPS to"), required=False, min_value=0, max_value=10)
    store = forms.ChoiceField(label=_("Store"), required=False)
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Email or transaction id")}),
    )

    def __init__(self, *args, store_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        # "from" reads well in a link but is a Python keyword, so it cannot be a class
        # attribute; both ends of the range are added here for symmetry.
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
        self.order_fields(FILTER_ORDER)
        self.fields["store"].choices = [("", _("All stores"))] + [(s, s) for s in store_ids]

    def clean(self):
        cleaned = super().clean()
        if none_missing(cleaned, "from", "to") and cleaned["from"] > cleaned["to"]:
            self.add_error("to", _("The end date is before the start date."))
        if none_missing(cleaned, "nps_min", "nps_max") and cleaned["nps_min"] > cleaned["nps_max"]:
            self.add_error("nps_max", _("The highest score is below the lowest."))
        return cleaned


def none_missing(cleaned, *names):
    return all(cleaned.get(name) is not None for name in names)


# ---- the questionnaire editor ----------------------------------------------------------

class QuestionnaireForm(BoundaryForm, forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title_en", "title_el", "active"]
        labels = {
            "title_en": _("Title (English)"),
            "title_el": _("Title (Greek)"),
            "active": _("Active (shown to customers)"),
        }

    def __init__(self, *args, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        if read_only:
            disable(self)


def disable(form):
    for field in form.fields.values():
        field.disabled = True


def options_as_text(options):
    return "\n".join(f"{o['key']} | {o['label_en']} | {o['label_el']}" for o in options)


def parse_option(line_number, line):
    """One "key | English label | Greek label" line; the Greek label defaults to English."""
    parts = [part.strip() for part in line.split("|")]
    if len(parts) == 2:
        parts.append(parts[1])
    if len(parts) != 3 or not all(parts):
        raise forms.ValidationError(
            _("Line %(line)s: write key | English label | Greek label."),
            params={"line": line_number},
        )
    try:
        validate_slug(parts[0])
    except forms.ValidationError:
        raise forms.ValidationError(
            _("Line %(line)s: the key “%(key)s” may use only letters, digits, - and _."),
            params={"line": line_number, "key": parts[0]},
        ) from None
    return {"key": parts[0], "label_en": parts[1], "label_el": parts[2]}


def parse_options(text):
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    options = [parse_option(number, line) for number, line in lines]
    keys = [option["key"] for option in options]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise forms.ValidationError(
            _("Each option needs its own key; repeated: %(keys)s."),
            params={"keys": ", ".join(duplicates)},
        )
    return options


class QuestionForm(BoundaryForm, forms.ModelForm):
    # Edited as text, stored as the JSON list Question.options expects.
    options = forms.CharField(
        label=_("Options"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Choice questions only: one option per line, "
                    "as key | English label | Greek label"),
    )

    class Meta:
        model = Question
        fields = ["key", "type", "label_en", "label_el", "position", "required", "multiple",
                  "options"]
        labels = {
            "key": _("Key"),
            "type": _("Type"),
            "label_en": _("Question (English)"),
            "label_el": _("Question (Greek)"),
            "required": _("Required"),
            "multiple": _("Several answers allowed"),
            "position": _("Position"),
        }
        # Explained once above the questions instead of under every row.
        help_texts = {"key": "", "multiple": ""}

    def __init__(self, *args, earlier_types=None, next_position=0, read_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Each key's type in the versions already published: stored answers depend on it.
        self.earlier_types = earlier_types or {}
        self.next_position = next_position
        # Blank, not the model's default 0, so an untouched new row counts as unchanged.
        self.fields["position"].required = False
        self.fields["position"].initial = None
        self.initial["options"] = options_as_text(self.instance.options or [])
        if read_only:
            disable(self)

    def clean_position(self):
        position = self.cleaned_data["position"]
        return self.next_position if position is None else position

    def clean_options(self):
        return parse_options(self.cleaned_data["options"])

    def clean(self):
        cleaned = super().clean()
        question_type = cleaned.get("type")
        if question_type:
            self.check_options(question_type, cleaned)
            self.check_type_is_kept(question_type, cleaned.get("key"))
        return cleaned

    def check_options(self, question_type, cleaned):
        options = cleaned.get("options")  # missing when the text itself was refused
        if question_type == QuestionType.CHOICE:
            if options is not None and len(options) < 2:
                self.add_error("options", _("A choice question needs at least two options."))
            return
        if options:
            self.add_error("options", _("Only choice questions have options."))
        if cleaned.get("multiple"):
            self.add_error("multiple", _("Only choice questions allow several answers."))

    def check_type_is_kept(self, question_type, key):
        earlier_type = self.earlier_types.get(key)
        if earlier_type and earlier_type != question_type:
            self.add_error("type", forms.ValidationError(
                _("“%(key)s” was a %(type)s question in an earlier version and stored "
                  "answers depend on that: keep its type, or use a new key."),
                params={"key": key, "type": QuestionType(earlier_type).label},
            ))


def types_in_published_versions(questionnaire):
    """{key: type} over every version of the questionnaire, the first meaning winning."""
    types = {}
    for questions in questionnaire.versions.order_by("number").values_list("questions", flat=True):
        for question in questions:
            types.setdefault(question["key"], question["type"])
    return types


class BaseQuestionFormSet(forms.BaseInlineFormSet):
    """All the questions of one questionnaire, plus an empty row to add one."""

    def __init__(self, *args, read_only=False, **kwargs):
        questionnaire = kwargs["instance"]
        if read_only:
            self.extra, self.can_delete = 0, False
        kwargs["form_kwargs"] = {
            "earlier_types": types_in_published_versions(questionnaire),
            "next_position": next_position(questionnaire),
            "read_only": read_only,
        }
        super().__init__(*args, **kwargs)

    def kept_forms(self):
        """The rows that will be questions after saving: not deleted, not left empty."""
        return [
            form for index, form in enumerate(self.forms)
            if not self._should_delete_form(form)
            and (index < self.initial_form_count() or form.has_changed())
        ]

    def clean(self):
        kept = self.kept_forms()
        if not kept:
            raise forms.ValidationError(_("Keep at least one question."))
        self.mark_repeated_keys(kept)
        super().clean()

    def mark_repeated_keys(self, kept):
        # On the field, not as Django's formset-wide message, so the row is obvious.
        seen = set()
        for form in kept:
            key = form.cleaned_data.get("key")
            if key in seen:
                form.add_error("key", forms.ValidationError(
                    _("Another question already uses the key “%(key)s”."),
                    params={"key": key},
                ))
            elif key:
                seen.add(key)


def next_position(questionnaire):
    highest = questionnaire.questions.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


QuestionFormSet = forms.inlineformset_factory(
    Questionnaire, Question, form=QuestionForm, formset=BaseQuestionFormSet,
    extra=1, can_delete=True, can_delete_extra=False,
)
