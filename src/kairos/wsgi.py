"""WSGI entry point: two middleware chains, chosen by path.

The public API and widget.js answer every completed questionnaire of every shop, so
they skip what they never use (sessions, authentication, CSRF, messages, locale,
clickjacking headers); the dashboard and admin API get Django's full chain.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kairos.settings")
dashboard = get_wsgi_application()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402 - after Django is set up

PUBLIC_PATHS = ("/api/public/", "/widget")
PUBLIC_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kairos.integrations.cors.PublicCorsMiddleware",
    "django.middleware.common.CommonMiddleware",
]


class PublicHandler(WSGIHandler):
    def load_middleware(self, is_async=False):
        full_chain = settings.MIDDLEWARE
        settings.MIDDLEWARE = PUBLIC_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full_chain


public = PublicHandler()


def application(environ, start_response):
    handler = public if environ.get("PATH_INFO", "").startswith(PUBLIC_PATHS) else dashboard
    return handler(environ, start_response)
