"""The baseline of the hot-path benchmark: a bare django-ninja endpoint.

It parses the same JSON body as POST /api/public/v1/responses (through the same kind of
pydantic schema) and answers a constant: what Django + ninja cost before Kairos does
any work. Served by gunicorn exactly like Kairos: `gunicorn bare_ninja:application`.
"""

from typing import Any

import django
from django.conf import settings

settings.configure(
    DEBUG=False, SECRET_KEY="bench-only", ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__,
    MIDDLEWARE=[], INSTALLED_APPS=[], USE_TZ=True,
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.urls import path  # noqa: E402
from ninja import NinjaAPI, Schema  # noqa: E402

api = NinjaAPI()


class Body(Schema):
    site_key: str
    stage: str
    locale: str | None = None
    device_id: str = ""
    answers: dict[str, Any]
    metadata: dict[str, Any] = {}


@api.post("/api/public/v1/responses", response={201: dict})
def responses(request, payload: Body):
    return 201, {"response_id": "constant", "campaign": None}


urlpatterns = [path("", api.urls)]
application = get_wsgi_application()
