from django.utils.translation import gettext as _

from kairos.command import KairosCommand
from kairos.privacy.retention import anonymise_past_retention


class Command(KairosCommand):
    help = ("Pseudonymise personal data past each shop's (and campaign's) retention. Safe to "
            "run at any time; the worker also runs it every few hours.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="say what would be pseudonymised, change nothing")

    def handle(self, *args, dry_run, **options):
        report = anonymise_past_retention(dry_run=dry_run, actor="kairos retention",
                                          via="command")
        for organization, counts in report.items():
            rows = ", ".join(f"{name} {count}" for name, count in counts.items() if count)
            line = _("%(shop)s: would pseudonymise %(rows)s") if dry_run else _(
                "%(shop)s: pseudonymised %(rows)s")
            self.stdout.write(line % {"shop": organization.name, "rows": rows})
        if not report:
            self.stdout.write(_("Nothing is past retention."))
