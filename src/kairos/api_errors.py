"""Every error of the two JSON APIs is `{"detail": ...}`, and their documents say so.

- `JsonErrors`, first in every middleware chain, turns the answers that Django itself
  makes for /api/ paths (an unmatched URL, a method the path does not take, a refused
  host, an unexpected exception, which Django has logged by then) into JSON.
- `declare_errors` adds to each operation of an OpenAPI document the 4xx answers it can
  give, from what the operation takes: 401/403 with authentication, 404/422 with path
  parameters, 422 with query parameters, 400/413/422 with a body. Routes declare the
  answers only they give (409, a public 403) themselves.
"""

from django.core.exceptions import DisallowedHost
from django.http import JsonResponse
from django.utils.translation import gettext as _

API_PREFIXES = ("/api/v1/", "/api/public/v1/")
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "what is wrong, naming the field"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "message"],
            "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
    },
    "required": ["detail"],
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
DESCRIPTIONS = {
    400: "The body is not JSON, or the host is not one Kairos answers to",
    401: "No API key or dashboard session",
    403: "The caller may not do this",
    404: "No such object in this shop",
    409: "Conflicts with what is already stored",
    413: "The body is too large",
    422: "A field is invalid: `errors` names each one",
}


class JsonErrors:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code >= 400 and request.path.startswith(API_PREFIXES)
                and not response.get("Content-Type", "").startswith("application/json")):
            return as_json(request, response)
        return response


def as_json(request, response):
    answer = JsonResponse({"detail": detail(request, response)}, status=response.status_code)
    for header, value in response.items():
        if header.lower() not in ("content-type", "content-length"):
            answer[header] = value
    return answer


def detail(request, response):
    status = response.status_code
    if status == 400 and not host_allowed(request):
        return _("Host: not a host this server answers to")
    if status == 404:
        return _("Not found: no such endpoint")
    if status == 405:
        return _("Method not allowed: use %(methods)s") % {"methods": response.get("Allow")}
    if status >= 500:
        return _("Internal server error")
    return response.reason_phrase


def host_allowed(request):
    try:
        request.get_host()
    except DisallowedHost:
        return False
    return True


# ---- the OpenAPI documents -------------------------------------------------------------

def declare_errors(document):
    document.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in document["paths"].values():
        for operation in path_item.values():
            responses = operation["responses"]
            for status in error_statuses(operation):
                if status not in responses and str(status) not in responses:
                    responses[status] = error_response(status)
            for status, response in responses.items():
                if 400 <= int(status) < 500:
                    response["content"] = {"application/json": {"schema": ERROR_REF}}


def error_statuses(operation):
    places = {parameter["in"] for parameter in operation.get("parameters", ())}
    statuses = set()
    if operation.get("security"):
        statuses |= {401, 403}
    if "path" in places:
        statuses |= {404, 422}
    if "query" in places:
        statuses.add(422)
    if "requestBody" in operation:
        statuses |= {400, 413, 422}
    return sorted(statuses)


def error_response(status):
    return {"description": DESCRIPTIONS[status],
            "content": {"application/json": {"schema": ERROR_REF}}}
