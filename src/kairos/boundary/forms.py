"""The dashboard's forms keep the same rules as the APIs."""

from django import forms
from django.utils.translation import gettext as _

from kairos.boundary.rules import first_problem, too_deep


class BoundaryForm:
    """Mixed into every dashboard form: each field's cleaned value keeps the rules above
    before the form's own clean_<field> and clean() see it."""

    def full_clean(self):
        for field in self.fields.values():
            guard(field)
        super().full_clean()


def guard(field):
    if getattr(field, "within_boundary", False):
        return
    clean = field.clean

    def checked_clean(value):
        try:
            cleaned = clean(value)
        except OverflowError:  # a choice of a row by an id SQLite cannot even compare
            raise forms.ValidationError(_("Select a valid choice.")) from None
        message = first_problem(cleaned)
        if message:
            raise forms.ValidationError(sentence(message))
        return cleaned

    field.clean = checked_clean
    field.within_boundary = True


def sentence(message):
    return message[:1].upper() + message[1:] + "."


class JsonField(forms.JSONField):
    """JSON typed into a form: the text may escape anything (\\u0000, \\ud800) or nest
    past Python's stack, so it is held to the rules when read, and when the page with
    the form's errors shows it again (as typed)."""

    def to_python(self, value):
        try:
            converted = super().to_python(value)
        except RecursionError:
            raise forms.ValidationError(sentence(too_deep())) from None
        message = first_problem(converted)
        if message:
            raise forms.ValidationError(sentence(message))
        return converted

    def bound_data(self, data, initial):
        try:
            value = super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)
        return forms.fields.InvalidJSONInput(data) if first_problem(value) else value
