"""The two JSON APIs: the admin REST API (/api/v1/) and the public widget API.

Each feature app contributes a router; errors always answer {"detail": ...} naming the
field and the problem (kairos.api_errors), and each document declares them.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from kairos.accounts.api_auth import ADMIN_AUTH
from kairos.api_errors import declare_errors
from kairos.errors import KairosError, field_name


class KairosAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        document = super().get_openapi_schema(**kwargs)
        declare_errors(document)
        return document


admin_api = KairosAPI(
    title="Kairos admin API",
    version="1",
    urls_namespace="api-v1",
    auth=ADMIN_AUTH,
    openapi_url="/openapi.json",
    docs_url="/docs",
)
public_api = KairosAPI(
    title="Kairos public API",
    version="public-1",
    urls_namespace="api-public-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def validation_error(request, exc):
    errors = [{"field": field_name(e.get("loc", ())), "message": e["msg"]} for e in exc.errors]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return request_api(request).create_response(
        request, {"detail": detail, "errors": errors}, status=422
    )


def authentication_error(request, exc):
    return request_api(request).create_response(
        request, {"detail": "Authentication required: an API key or a dashboard session."},
        status=401,
    )


def request_api(request):
    return public_api if request.path.startswith("/api/public/") else admin_api


def domain_error(request, exc):
    # Problems, NotFound, Conflict, PermissionDenied…: each knows its status.
    response = request_api(request).create_response(request, exc.as_detail(), status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response


def too_big(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return request_api(request).create_response(
        request, {"detail": f"body: larger than {limit} KB"}, status=413
    )


for api in (admin_api, public_api):
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(AuthenticationError, authentication_error)
    api.add_exception_handler(KairosError, domain_error)
    api.add_exception_handler(RequestDataTooBig, too_big)


def register_routers():
    from kairos.callbacks.api import router as callbacks_router
    from kairos.campaigns.api import router as campaigns_router
    from kairos.events.api import router as events_router
    from kairos.integrations.public_api import router as public_router
    from kairos.integrations.webhooks_api import router as webhooks_router
    from kairos.privacy.api import router as privacy_router
    from kairos.questionnaires.api import router as questionnaires_router
    from kairos.segments.api import router as segments_router
    from kairos.shop.api import router as shop_router

    admin_api.add_router("/", questionnaires_router)
    admin_api.add_router("/", segments_router)
    admin_api.add_router("/", campaigns_router)
    admin_api.add_router("/", callbacks_router)
    admin_api.add_router("/", webhooks_router)
    admin_api.add_router("/", events_router)
    admin_api.add_router("/", shop_router)
    admin_api.add_router("/", privacy_router)
    public_api.add_router("/", public_router)


register_routers()
urlpatterns = [
    path("api/public/v1/", public_api.urls),
    path("api/v1/", admin_api.urls),
]
