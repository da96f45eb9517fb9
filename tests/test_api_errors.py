"""Every error of /api/v1/ and /api/public/v1/ is JSON {"detail": ...}, whoever makes it,
and both OpenAPI documents declare the 4xx answers of each operation."""

import io
import json

import pytest
from django.test import Client

from kairos.wsgi import application

ADMIN_DOCUMENT = "/api/v1/openapi.json"
PUBLIC_DOCUMENT = "/api/public/v1/openapi.json"


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/segments/1/nothing",
                                  "/api/public/v1/nothing", "/api/public/v1/impressions/x"])
def test_an_unmatched_url_answers_json(db, path):
    assert_json_error(Client().get(path), 404)


def test_a_method_the_path_does_not_take_answers_json_with_allow(alice_api):
    response = alice_api.put("/api/v1/segments")
    assert_json_error(response, 405)
    assert "GET" in response["Allow"] and "GET" in response.json()["detail"]


@pytest.fixture
def broken_segments(monkeypatch):
    from kairos.segments.models import Segment

    def explode(*args, **kwargs):
        raise RuntimeError("a bug nobody foresaw")

    monkeypatch.setattr(Segment.objects, "filter", explode)


def test_an_unexpected_error_of_the_admin_api_answers_json(alice_key, broken_segments):
    client = Client(headers={"Authorization": f"Bearer {alice_key}"},
                    raise_request_exception=False)
    response = client.get("/api/v1/segments")
    assert_json_error(response, 500)
    assert response.json() == {"detail": "Internal server error"}


def wsgi_get(path, host="127.0.0.1"):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "site_key=x",
               "HTTP_HOST": host, "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000"}
    answer = {}
    chunks = application(environ, lambda status, headers: answer.update(
        status=int(status.split()[0]), headers=dict(headers)))
    return answer["status"], answer["headers"], json.loads(b"".join(chunks))


def test_the_public_chain_answers_an_unexpected_error_as_json(alice, monkeypatch):
    from kairos.integrations import public_api

    def explode(*args):
        raise RuntimeError("a bug nobody foresaw")

    monkeypatch.setattr(public_api, "resolve_site_key", explode)
    status, headers, body = wsgi_get("/api/public/v1/questionnaires/checkout")
    assert status == 500 and headers["Content-Type"].startswith("application/json")
    assert body == {"detail": "Internal server error"}  # as the hot path answers


def test_an_unknown_host_is_refused_as_json_on_every_public_route(db):
    status, _headers, body = wsgi_get("/api/public/v1/questionnaires/checkout",
                                      host="evil.example")
    assert (status, body) == (400, {"detail": "Host: not a host this server answers to"})


def test_the_dashboard_keeps_its_html_pages(alice_client):
    response = alice_client.get("/dashboard/no-such-page/")
    assert response.status_code == 404 and "json" not in response["Content-Type"]


# ---- the documents ---------------------------------------------------------------------

def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


@pytest.fixture
def documents(db):
    return {name: Client().get(url).json()
            for name, url in (("admin", ADMIN_DOCUMENT), ("public", PUBLIC_DOCUMENT))}


def test_every_operation_declares_its_4xx_answers(documents):
    for name, document in documents.items():
        for label, operation in operations(document):
            declared = {int(status) for status in operation["responses"]}
            places = {p["in"] for p in operation.get("parameters", ())}
            expected = set()
            if name == "admin":
                expected |= {401, 403}
            if "path" in places:
                expected |= {404, 422}
            if places - {"path"}:
                expected.add(422)
            if "requestBody" in operation:
                expected |= {400, 413, 422}
            assert expected <= declared, (label, sorted(expected - declared))


def test_every_declared_error_is_the_one_error_shape(documents):
    for document in documents.values():
        error = document["components"]["schemas"]["Error"]
        assert error["required"] == ["detail"]
        for label, operation in operations(document):
            for status, response in operation["responses"].items():
                if 400 <= int(status) < 500:
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (label, status)


def test_the_public_routes_declare_the_answers_only_they_give(documents):
    paths = documents["public"]["paths"]
    actions = paths["/api/public/v1/impressions/{impression_id}/actions"]["post"]
    assert {"403", "404", "409"} <= {str(s) for s in actions["responses"]}
    responses = paths["/api/public/v1/responses"]["post"]
    assert {"400", "403", "404", "413", "422"} <= {str(s) for s in responses["responses"]}
