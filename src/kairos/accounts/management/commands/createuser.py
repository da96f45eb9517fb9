from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from kairos.accounts.models import Organization
from kairos.accounts.roles import Role
from kairos.accounts.services import add_membership, create_organization, ensure_user
from kairos.command import KairosCommand


class Command(KairosCommand):
    help = "Create (or update) a dashboard user and give them a role in a shop."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--password", required=True)
        parser.add_argument("--organization", required=True, help="shop name (created if new)")
        parser.add_argument("--role", default=Role.OWNER, choices=Role.values)
        parser.add_argument("--time-zone", default="Europe/Athens")
        parser.add_argument("--country", default="GR")

    @transaction.atomic
    def handle(self, email, password, organization, role, time_zone, country, **options):
        if "@" not in email:
            raise CommandError("email: not an email address")
        email = email.strip().lower()
        check_password(email, password)
        user = ensure_user(email, password)
        shop = Organization.objects.filter(name=organization).first()
        if shop is None:
            shop = create_organization(organization, time_zone=time_zone, country=country)
        add_membership(user, shop, role)
        self.stdout.write(self.style.SUCCESS(f"{email} is {role} of {shop.name}"))


def check_password(email, password):
    """The same validators as the dashboard's password forms (AUTH_PASSWORD_VALIDATORS):
    too short, too common, all digits, or too like the email is refused."""
    try:
        validate_password(password, get_user_model()(username=email, email=email))
    except ValidationError as error:
        raise CommandError("password: " + " ".join(error.messages)) from None
