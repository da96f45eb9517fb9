"""The questionnaire every new shop starts with, per journey stage."""

from django.utils.translation import gettext_noop

DEFAULT_QUESTIONS = [
    {
        "key": "nps", "type": "nps", "required": True,
        "label_en": "How likely are you to recommend us to a friend?",
        "label_el": "Πόσο πιθανό είναι να μας προτείνετε σε έναν φίλο;",
    },
    {
        "key": "rating", "type": "rating", "required": False,
        "label_en": "How satisfied are you with your experience today?",
        "label_el": "Πόσο ικανοποιημένοι είστε από την εμπειρία σας σήμερα;",
    },
    {
        "key": "comment", "type": "text", "required": False,
        "label_en": "What could we do better?",
        "label_el": "Τι θα μπορούσαμε να κάνουμε καλύτερα;",
    },
]

DEFAULT_TITLES = {
    "checkout": {"en": gettext_noop("Thank you for your order!"),
                 "el": "Ευχαριστούμε για την παραγγελία σας!"},
    "after_sales": {"en": gettext_noop("How did we do?"), "el": "Πώς τα πήγαμε;"},
}
