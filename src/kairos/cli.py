"""`kairos` command line: Django's management commands under the project's settings.

kairos serve | migrate | demo | createuser | import responses | … (every Django command)
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kairos.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kairos", *sys.argv[1:]])
