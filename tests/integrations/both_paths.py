"""POST /api/public/v1/responses through both of its implementations, from raw bytes.

`hot_path` calls the production WSGI entry point (kairos.wsgi.application), which serves
this endpoint with kairos.integrations.hot_path; `ninja_route` goes through Django and
the documented django-ninja route. They must answer alike, whatever the body.
"""

import io
import json

from django.test import Client

from kairos.wsgi import application

PATH = "/api/public/v1/responses"


def hot_path(raw, origin=None, host="127.0.0.1:8000"):
    """(status, headers, JSON body)."""
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": PATH,
               "HTTP_HOST": host, "CONTENT_TYPE": "text/plain;charset=UTF-8",
               "CONTENT_LENGTH": str(len(raw)), "wsgi.input": io.BytesIO(raw),
               "wsgi.url_scheme": "http", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
               "QUERY_STRING": "", "REMOTE_ADDR": "127.0.0.1"}
    if origin:
        environ["HTTP_ORIGIN"] = origin
    answer = {}
    chunks = application(environ, lambda status, headers: answer.update(
        status=int(status.split()[0]), headers=dict(headers)))
    return answer["status"], answer["headers"], json.loads(b"".join(chunks))


def ninja_route(raw):
    """(status, JSON body)."""
    response = Client().post(PATH, raw, content_type="application/json")
    return response.status_code, response.json()


def encoded(body):
    """JSON as a browser or a careless integrator may send it: lone surrogates and NUL
    escaped as \\ud800 and \\u0000, which json.dumps writes exactly so."""
    return json.dumps(body).encode()
