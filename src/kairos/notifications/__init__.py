"""Notification e-mails, sent through the outbox like webhooks.

A rule (rules.py) names, per event type, who is told and with which template. When the
worker dispatches such an event, one `send_notification` task per recipient is enqueued
in the same transaction; the task renders the e-mail in the shop's language, with a link
to the thing it is about, and sends it with Django's e-mail backend.
"""
