from django.test import RequestFactory, override_settings

from kairos.accounts.client_address import address_in, client_address


def request_from(remote, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_without_a_trusted_header_it_is_the_connections_address():
    request = request_from("203.0.113.5", **{"X-Forwarded-For": "1.2.3.4"})
    assert client_address(request) == "203.0.113.5"


@override_settings(CLIENT_ADDRESS_HEADER="X-Forwarded-For")
def test_with_a_trusted_header_it_is_the_address_the_proxy_appended():
    request = request_from("127.0.0.1", **{"X-Forwarded-For": "1.2.3.4, 203.0.113.5"})
    assert client_address(request) == "203.0.113.5"


@override_settings(CLIENT_ADDRESS_HEADER="X-Real-IP")
def test_a_missing_or_malformed_header_falls_back_to_the_connection():
    assert client_address(request_from("127.0.0.1")) == "127.0.0.1"
    assert client_address(request_from("127.0.0.1", **{"X-Real-IP": "not an ip"})) == "127.0.0.1"
    spaced = request_from("127.0.0.1", **{"X-Real-IP": " 2001:db8::1 "})
    assert client_address(spaced) == "2001:db8::1"


@override_settings(CLIENT_ADDRESS_HEADER="X-Real-IP")
def test_it_reads_a_wsgi_environ_too():
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "198.51.100.1"}
    assert address_in(environ) == "198.51.100.1"
