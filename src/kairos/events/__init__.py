"""The outbox: every event that must leave Kairos, written in the transaction that caused it.

Domain services call `kairos.events.outbox.emit()`; the worker dispatches new events to
the consumers named in settings.EVENT_CONSUMERS (webhooks, notification e-mails), and
integrators poll them at /api/v1/events. This package imports no other feature app but
accounts, so every app can emit without an import cycle.
"""
