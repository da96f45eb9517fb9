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
        user = ensure_user(email.strip().lower(), password)
        shop = Organization.objects.filter(name=organization).first()
        if shop is None:
            shop = create_organization(organization, time_zone=time_zone, country=country)
        add_membership(user, shop, role)
        self.stdout.write(self.style.SUCCESS(f"{email} is {role} of {shop.name}"))
