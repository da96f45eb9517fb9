"""One customer of one shop: the rows that hold their data, found from one identity.

An identity is an e-mail, a phone number or a customer id; the customer is every
response that carries it, and — since one person usually leaves all three together —
every response carrying an identity found beside it (a few rounds, so one shared phone
cannot pull in a whole town). Everything else the customer left hangs off those
responses (kairos/personal_data.py says through which lookup), except copies on their
way out: the events of those responses and their webhook deliveries, and referrals in
which another customer named this one's e-mail.
"""

import contextlib
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _

from kairos.boundary.rules import text_problem
from kairos.callbacks.models import CallbackRequest
from kairos.campaigns.models import Action
from kairos.errors import NotFound, Problems
from kairos.events.models import Event
from kairos.integrations.models import Attempt, Delivery
from kairos.personal_data import REGISTRY
from kairos.questionnaires.models import Response
from kairos.questionnaires.validation import normalize_email, normalize_phone

IDENTITY_COLUMNS = ("email", "phone_number", "customer_id")
ROUNDS = 3
MAX_IDENTITY_LENGTH = 254


@dataclass
class Customer:
    organization: object
    identity: str
    identities: dict = field(default_factory=dict)  # column -> set of values
    response_ids: set = field(default_factory=set)


def identity_values(organization, identity):
    """The forms the identity may be stored in: an e-mail lower-cased, a phone number in
    E.164, a customer id as given (we look for each in every column that could hold it)."""
    text = (identity or "").strip()
    problem = text_problem(text) or (len(text) > MAX_IDENTITY_LENGTH and _(
        "must be at most %(count)s characters") % {"count": MAX_IDENTITY_LENGTH})
    if not text or problem:
        raise Problems([("identity", problem or _("an e-mail, a phone number or a customer id "
                                                  "is required"))])
    values = {"customer_id": {text}, "email": set(), "phone_number": set()}
    with contextlib.suppress(ValueError):
        values["email"].add(normalize_email(text))
    with contextlib.suppress(ValueError):
        values["phone_number"].add(normalize_phone(text, organization.country))
    return values


def find_customer(organization, identity):
    """The customer with this identity in this shop; NotFound when nothing is stored."""
    customer = Customer(organization, identity.strip(), identity_values(organization, identity))
    for _round in range(ROUNDS):
        found = matching_responses(organization, customer.identities)
        found |= set(CallbackRequest.objects.filter(
            organization=organization, phone_number__in=customer.identities["phone_number"])
            .values_list("response_id", flat=True))
        if found <= customer.response_ids:
            break
        customer.response_ids |= found
        add_identities(customer)
    if not customer.response_ids and not referrals(customer).exists():
        raise NotFound("identity", _("nothing is stored about this customer"))
    return customer


def matching_responses(organization, identities):
    match = Q()
    for column in IDENTITY_COLUMNS:
        if identities[column]:
            match |= Q(**{f"{column}__in": identities[column]})
    return set(Response.objects.filter(organization=organization).filter(match)
               .values_list("pk", flat=True))


def add_identities(customer):
    rows = Response.objects.filter(pk__in=customer.response_ids).values_list(*IDENTITY_COLUMNS)
    for row in rows:
        for column, value in zip(IDENTITY_COLUMNS, row, strict=True):
            if value:
                customer.identities[column].add(value)


def stored_identities(customer):
    """{"email": [...], …}: the identities the customer's responses carry."""
    rows = Response.objects.filter(pk__in=customer.response_ids).values_list(*IDENTITY_COLUMNS)
    return {column: sorted({row[index] for row in rows if row[index]})
            for index, column in enumerate(IDENTITY_COLUMNS)}


def referrals(customer):
    """Referrals of other customers that named this customer's e-mail (the friend)."""
    return Action.objects.filter(organization=customer.organization,
                                 data__friend_email__in=customer.identities["email"] or [""])


def owned_rows(customer):
    """{"questionnaires.Response": queryset, …}: the rows of every registered model that
    belong to the customer's responses."""
    rows = {}
    for entry in REGISTRY:
        if entry.response is None:
            continue
        model = apps.get_model(entry.model)
        lookup = f"{entry.response}__in" if entry.response else "pk__in"
        rows[entry.model] = model.objects.filter(
            **{entry.organization: customer.organization, lookup: customer.response_ids})
    return rows


def events(customer):
    """The outbox's copies of the customer's data: events of their responses and of the
    referrals naming them."""
    response_ids = [str(pk) for pk in customer.response_ids]
    action_ids = [str(pk) for pk in referrals(customer).values_list("pk", flat=True)]
    return Event.objects.filter(organization=customer.organization).filter(
        Q(data__response_id__in=response_ids or [""])
        | Q(data__action_id__in=action_ids or [""]))


def deliveries(customer):
    return Delivery.objects.filter(organization=customer.organization,
                                   event__in=events(customer))


def attempts(customer):
    return Attempt.objects.filter(organization=customer.organization,
                                  delivery__in=deliveries(customer))
