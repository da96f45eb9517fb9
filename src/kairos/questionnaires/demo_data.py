"""Sample responses for the demo shop, believable enough to build segments on.

Greek and English-speaking customers (some coming back several times), Greek mobile
numbers, five stores, a typical NPS mix with ratings and comments that agree with it.
Everything goes through build_response, so it is validated and normalised exactly like a
real submission (emails lower-cased, phone numbers in E.164).
"""

import datetime
import math
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kairos.accounts.shop_time import shop_today, shop_zone
from kairos.questionnaires import rollup
from kairos.questionnaires.models import Response, Stage
from kairos.questionnaires.services import (
    build_response,
    published_version,
    remember_field_types,
)

DEFAULT_SEED = 2026

# (Greek script, Latin script, gender)
GREEK_FIRST_NAMES = [
    ("Μαρία", "Maria", "female"), ("Ελένη", "Eleni", "female"),
    ("Κατερίνα", "Katerina", "female"), ("Σοφία", "Sofia", "female"),
    ("Άννα", "Anna", "female"), ("Γεωργία", "Georgia", "female"),
    ("Δέσποινα", "Despoina", "female"), ("Χριστίνα", "Christina", "female"),
    ("Γιώργος", "Giorgos", "male"), ("Νίκος", "Nikos", "male"),
    ("Δημήτρης", "Dimitris", "male"), ("Κώστας", "Kostas", "male"),
    ("Γιάννης", "Giannis", "male"), ("Παναγιώτης", "Panagiotis", "male"),
    ("Χρήστος", "Christos", "male"), ("Βασίλης", "Vasilis", "male"),
]
# Greek surnames take a different form for women: (male, female) in each script.
GREEK_SURNAMES = [
    (("Παπαδόπουλος", "Παπαδοπούλου"), ("Papadopoulos", "Papadopoulou")),
    (("Παπαδάκης", "Παπαδάκη"), ("Papadakis", "Papadaki")),
    (("Βλάχος", "Βλάχου"), ("Vlachos", "Vlachou")),
    (("Κωνσταντινίδης", "Κωνσταντινίδου"), ("Konstantinidis", "Konstantinidou")),
    (("Μακρής", "Μακρή"), ("Makris", "Makri")),
    (("Γεωργίου", "Γεωργίου"), ("Georgiou", "Georgiou")),
    (("Νικολάου", "Νικολάου"), ("Nikolaou", "Nikolaou")),
    (("Ιωάννου", "Ιωάννου"), ("Ioannou", "Ioannou")),
    (("Οικονόμου", "Οικονόμου"), ("Oikonomou", "Oikonomou")),
    (("Δημητρίου", "Δημητρίου"), ("Dimitriou", "Dimitriou")),
    (("Αλεξίου", "Αλεξίου"), ("Alexiou", "Alexiou")),
    (("Αντωνίου", "Αντωνίου"), ("Antoniou", "Antoniou")),
]
FOREIGN_NAMES = [
    ("Emma", "Wilson", "female"), ("Olivia", "Brown", "female"), ("Sarah", "Miller", "female"),
    ("James", "Taylor", "male"), ("Daniel", "Evans", "male"), ("Lukas", "Schmidt", "male"),
]
EMAIL_DOMAINS = ["example.com", "example.net", "example.org"]  # reserved: never delivered
MOBILE_PREFIXES = ["690", "693", "694", "695", "697", "698", "699"]

STORES = ["online", "athens", "thessaloniki", "patra", "heraklion"]
STORE_WEIGHTS = [40, 25, 15, 10, 10]
PRODUCTS = ["shoes", "bags", "clothing", "accessories", "cosmetics", "home"]
PAYMENT_METHODS = ["card", "card", "card", "paypal", "cash_on_delivery"]

# (share of responses, NPS scores, their weights, rating range, chance of a comment)
NPS_GROUPS = {
    "promoter": (55, [9, 10], [45, 55], (8, 10), 0.3),
    "passive": (25, [7, 8], [50, 50], (6, 8), 0.4),
    "detractor": (20, [0, 1, 2, 3, 4, 5, 6], [1, 1, 2, 2, 3, 4, 5], (1, 6), 0.75),
}
COMMENTS = {
    "promoter": {
        "el": ["Εξαιρετική εξυπηρέτηση!", "Γρήγορη παράδοση, ευχαριστώ", "Πολύ καλές τιμές",
               "Θα ξαναψωνίσω σίγουρα"],
        "en": ["great service", "Fast delivery, thank you!", "Lovely products",
               "Will definitely order again"],
    },
    "passive": {
        "el": ["Καλή εμπειρία, αλλά ακριβά μεταφορικά", "Ο ιστότοπος είναι λίγο αργός",
               "Εντάξει, τίποτα ιδιαίτερο"],
        "en": ["OK, but shipping is expensive", "The checkout was a bit slow",
               "Good, not great"],
    },
    "detractor": {
        "el": ["Η παράδοση άργησε", "Ήρθε λάθος νούμερο", "Κανείς δεν απαντά στο τηλέφωνο",
               "Το προϊόν ήρθε χαλασμένο", "Δύσκολη επιστροφή χρημάτων"],
        "en": ["late delivery", "Wrong size delivered", "Nobody answers the phone",
               "The item arrived damaged", "Refund took weeks"],
    },
}
# Shoppers answer mostly around lunch and in the evening (local time).
HOUR_WEIGHTS = [1, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 6, 5, 5, 5, 6, 7, 8, 9, 8, 5, 2]


@dataclass(frozen=True)
class Customer:
    name: str
    gender: str
    email: str | None
    phone_number: str | None
    customer_id: str | None
    locale: str
    device_id: str
    home_store: str


@dataclass(frozen=True)
class SeedResult:
    created: int
    total: int


def seed_demo_responses(organization, count=3000, days=90, seed=DEFAULT_SEED):
    """Top the shop up to `count` responses over the last `days` days (idempotent)."""
    existing = Response.objects.filter(organization=organization).count()
    versions = active_versions(organization)
    if existing >= count or not versions:
        return SeedResult(created=0, total=existing)
    rng = random.Random(seed)
    customers = customer_pool(rng, count)
    responses = [
        sample_response(rng, organization, versions, pick_customer(rng, customers),
                        order_number=existing + index + 1, days=days)
        for index in range(count - existing)
    ]
    store(organization, responses)
    return SeedResult(created=len(responses), total=existing + len(responses))


def active_versions(organization):
    versions = [published_version(organization, stage) for stage in Stage.values]
    return [version for version in versions if version is not None]


def store(organization, responses):
    field_types = {}
    for response in responses:
        field_types.update(response.field_types)
    with transaction.atomic():
        Response.objects.bulk_create(responses, batch_size=500)
        rollup.reseal(organization, [response.submitted_at for response in responses])
        remember_field_types(organization, field_types)


# ---- customers -------------------------------------------------------------------------

def customer_pool(rng, count):
    return [make_customer(rng, number) for number in range(max(50, count * 3 // 4))]


def pick_customer(rng, customers):
    # A loyal twentieth of the customers gives a quarter of the responses: the
    # returning customers that frequency caps and repeat-detractor segments are about.
    if rng.random() < 0.25:
        return rng.choice(customers[: max(1, len(customers) // 20)])
    return rng.choice(customers)


def make_customer(rng, number):
    locale = "el" if rng.random() < 0.7 else "en"
    if locale == "en" and rng.random() < 0.4:
        first, last, gender = rng.choice(FOREIGN_NAMES)
        name = latin = f"{first} {last}"
    else:
        name, latin, gender = greek_name(rng, greek_script=locale == "el" and rng.random() < 0.75)
    registered = rng.random() < 0.6
    return Customer(
        name=name, gender=gender,
        email=None if rng.random() < 0.1 else email_for(rng, latin, number),
        phone_number=mobile_number(rng) if rng.random() < 0.85 else None,
        customer_id=f"C-{10000 + number}" if registered else None,
        locale=locale, device_id=f"d-{rng.getrandbits(48):012x}",
        home_store=rng.choices(STORES, STORE_WEIGHTS)[0],
    )


def greek_name(rng, greek_script):
    """(name as written, the same name in Latin script, gender)."""
    first_el, first_latin, gender = rng.choice(GREEK_FIRST_NAMES)
    surname_el, surname_latin = rng.choice(GREEK_SURNAMES)
    form = 1 if gender == "female" else 0
    latin = f"{first_latin} {surname_latin[form]}"
    name = f"{first_el} {surname_el[form]}" if greek_script else latin
    return name, latin, gender


def email_for(rng, latin_name, number):
    local = latin_name.replace(" ", ".") + str(number)
    email = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
    # Customers type their addresses in any case; normalisation lower-cases them.
    return email if rng.random() < 0.2 else email.lower()


def mobile_number(rng):
    digits = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
    # As customers type them; build_response turns them all into +3069xxxxxxxx.
    formats = [f"+30{digits}", digits, f"{digits[:3]} {digits[3:6]} {digits[6:]}"]
    return rng.choice(formats)


# ---- responses -------------------------------------------------------------------------

def sample_response(rng, organization, versions, customer, order_number, days):
    version = rng.choices(versions, [65, 35][: len(versions)])[0]  # checkout first
    submitted_at = submission_time(rng, organization, days)
    store_id = customer.home_store if rng.random() < 0.7 else rng.choices(
        STORES, STORE_WEIGHTS)[0]
    submission = {
        "answers": answers(rng, customer.locale),
        "metadata": {
            "questionnaire": order_metadata(rng, order_number, store_id, submitted_at),
            "responder": responder_metadata(rng, customer),
        },
    }
    # Every metadata field of a sample is one Kairos knows: no registered types to read.
    return build_response(organization, version, submission, locale=customer.locale,
                          device_id=customer.device_id, submitted_at=submitted_at,
                          registered={})


def answers(rng, locale, group=None):
    """A sample's answers; `group` (promoter, passive, detractor) forces the NPS group."""
    group = group or rng.choices(list(NPS_GROUPS), [g[0] for g in NPS_GROUPS.values()])[0]
    _share, scores, weights, (low, high), comment_chance = NPS_GROUPS[group]
    result = {"nps": rng.choices(scores, weights)[0]}
    if rng.random() < 0.85:
        result["rating"] = rng.randint(low, high)
    if rng.random() < comment_chance:
        result["comment"] = rng.choice(COMMENTS[group][locale])
    return result


def order_metadata(rng, order_number, store_id, submitted_at):
    amount = min(400.0, max(10.0, rng.lognormvariate(math.log(60), 0.7)))
    return {
        "transaction_id": f"KD-{100000 + order_number}",
        "transaction_date": submitted_at.date().isoformat(),  # local date of the order
        "store_id": store_id,
        "amount": round(amount, 2),
        "products": rng.sample(PRODUCTS, rng.choice([1, 1, 2, 3])),
        "payment_method": rng.choice(PAYMENT_METHODS),
    }


def responder_metadata(rng, customer):
    metadata = {"name": customer.name, "gender": customer.gender,
                "email": customer.email, "phone_number": customer.phone_number,
                "customer_id": customer.customer_id,
                "newsletter": customer.customer_id is not None and rng.random() < 0.5}
    return {key: value for key, value in metadata.items() if value is not None}


def submission_time(rng, organization, days):
    """A moment within the last `days` days, at an hour people shop, in the shop's zone."""
    zone = shop_zone(organization)
    now = timezone.now()
    day = shop_today(organization, now) - datetime.timedelta(days=rng.randrange(days))
    hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
    moment = datetime.datetime.combine(
        day, datetime.time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=zone)
    return moment if moment <= now else moment - datetime.timedelta(days=1)
