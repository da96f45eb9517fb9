"""WSGI entry point: chosen by path.

- POST /api/public/v1/responses, every completed questionnaire of every shop: the lean
  application of kairos.integrations.hot_path, running the endpoint's own code.
- The rest of the public API and widget.js: a short middleware chain, without what they
  never use (sessions, authentication, CSRF, messages, locale, clickjacking headers).
- The dashboard and the admin API: Django's full chain.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kairos.settings")
dashboard = get_wsgi_application()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402 - after Django is set up

PUBLIC_PATHS = ("/api/public/", "/widget")
PUBLIC_MIDDLEWARE = [
    "kairos.api_errors.JsonErrors",
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

from kairos.integrations import hot_path  # noqa: E402 - imports models


def application(environ, start_response):
    if hot_path.handles(environ):
        return hot_path.application(environ, start_response)
    handler = public if environ.get("PATH_INFO", "").startswith(PUBLIC_PATHS) else dashboard
    return handler(environ, start_response)
