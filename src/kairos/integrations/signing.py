"""Signing deliveries in the Standard Webhooks format, with the `standardwebhooks` library.

`webhook-signature` carries one `v1,…` signature per secret in use: while a rotated
secret overlaps, receivers still checking with the old one keep accepting deliveries.
"""

import base64
import datetime
import secrets

from standardwebhooks import Webhook


def new_secret():
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def signed_headers(secrets_in_use, message_id, body, now):
    moment = now.astimezone(datetime.UTC)
    signatures = [Webhook(secret).sign(message_id, moment, body) for secret in secrets_in_use]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
