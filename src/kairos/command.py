"""The base of Kairos' management commands: a service's refusal ends as one clear line.

Services raise kairos.errors; on the command line they become a CommandError (exit
status 1, "CommandError: field: message" on stderr, in the LANGUAGE_CODE language), never
a traceback.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kairos.errors import KairosError


class KairosCommand(BaseCommand):
    def execute(self, *args, **options):
        # The operator's language (LANGUAGE_CODE), whatever a previous caller activated.
        with translation.override(settings.LANGUAGE_CODE):
            try:
                return super().execute(*args, **options)
            except KairosError as refused:
                raise CommandError(str(refused)) from None
