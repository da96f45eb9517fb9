from django.utils.translation import gettext as _

from kairos.accounts.models import Organization
from kairos.command import KairosCommand
from kairos.questionnaires.rollup import rebuild, seal


class Command(KairosCommand):
    help = ("Seal every shop's days up to its yesterday into the daily rollup of responses "
            "(the worker does it every hour). Safe to run at any time.")

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true",
                            help="forget each shop's rollup and count it again from its "
                                 "first response")

    def handle(self, *args, **options):
        act = rebuild if options["rebuild"] else seal
        for organization in Organization.objects.order_by("pk"):
            moved = act(organization)
            line = _("%(shop)s: sealed up to yesterday") if moved else _(
                "%(shop)s: already sealed up to yesterday")
            self.stdout.write(line % {"shop": organization.name})
