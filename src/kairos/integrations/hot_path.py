"""POST /api/public/v1/responses, served without Django's request machinery.

Every completed questionnaire of every shop arrives here, and measurement showed
Django's and django-ninja's request handling to be the largest cost left (bench/README).
This WSGI application runs exactly the endpoint's own code — the same pydantic schema,
`checked_site_key` and `accept_submission` — and answers the same statuses and error
bodies; the ninja route stays for the OpenAPI document and Django's test client.
"""

import json
import logging

from django.conf import settings
from django.db import close_old_connections
from django.http.request import split_domain_port, validate_host
from ninja.errors import HttpError
from pydantic import ValidationError

from kairos.accounts.client_address import address_in
from kairos.errors import KairosError, Problems, field_name
from kairos.integrations.public_api import accept_submission, checked_site_key
from kairos.integrations.schemas import PublicSubmissionIn

PATH = "/api/public/v1/responses"
logger = logging.getLogger("django.request")
REASONS = {201: "Created", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
           409: "Conflict", 413: "Request Entity Too Large", 422: "Unprocessable Entity",
           429: "Too Many Requests", 500: "Internal Server Error"}


def handles(environ):
    return environ.get("PATH_INFO") == PATH and environ.get("REQUEST_METHOD") == "POST"


def application(environ, start_response):
    close_old_connections()  # as Django does when a request starts and ends
    try:
        status, body, origin, extra_headers = answer(environ)
    finally:
        close_old_connections()
    headers = [("Content-Type", "application/json"), *security_headers(environ),
               *extra_headers.items()]
    if origin:
        headers += [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
    payload = json.dumps(body).encode()
    headers.append(("Content-Length", str(len(payload))))
    start_response(f"{status} {REASONS[status]}", headers)
    return [payload]


def security_headers(environ):
    """What Django's SecurityMiddleware adds to every other answer, from the same settings."""
    headers = []
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        policy = policy if isinstance(policy, str) else ",".join(policy)
        headers.append(("Referrer-Policy", policy))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    if settings.SECURE_HSTS_SECONDS and is_secure(environ):
        headers.append(("Strict-Transport-Security", hsts_value()))
    return headers


def is_secure(environ):
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if proxy and environ.get(proxy[0]) is not None:
        return environ[proxy[0]].split(",")[0].strip() == proxy[1]
    return environ.get("wsgi.url_scheme") == "https"


def hsts_value():
    value = f"max-age={settings.SECURE_HSTS_SECONDS}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return value


def answer(environ):
    """(status, body, origin allowed for CORS or None, headers to add)."""
    origin, allowed = environ.get("HTTP_ORIGIN"), None
    try:
        refuse_bad_host(environ)
        submission = read_submission(environ)
        site_key = checked_site_key(submission.site_key, origin, address_in(environ))
        allowed = origin
        return 201, accept_submission(site_key, submission), allowed, {}
    except HttpError as error:
        return error.status_code, {"detail": str(error.message)}, allowed, {}
    except KairosError as error:
        return error.status, error.as_detail(), allowed, error.headers
    except Exception:
        logger.exception("Internal Server Error: %s", PATH)
        return 500, {"detail": "Internal server error"}, allowed, {}


def refuse_bad_host(environ):
    domain, _port = split_domain_port(environ.get("HTTP_HOST", ""))
    if not validate_host(domain, settings.ALLOWED_HOSTS):
        raise HttpError(400, "Host: not a host this server answers to")


def read_submission(environ):
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise HttpError(400, "body: bad Content-Length") from None
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if length > limit:
        raise HttpError(413, f"body: larger than {limit // 1024} KB")
    raw = environ["wsgi.input"].read(max(length, 0))
    if not raw:  # ninja validates no body at all as a missing one
        raise Problems([("body", "Field required")])
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: JSON nested past Python's stack
        raise HttpError(400, "Cannot parse request body") from None  # ninja's words
    try:
        return PublicSubmissionIn.model_validate(data)
    except ValidationError as invalid:
        raise Problems((field_name(e["loc"]), e["msg"]) for e in invalid.errors()) from None
