"""Working a callback request: assign, log attempts, comment, change status, resolve,
reopen and undo. Pure of HTTP: the API and the dashboard both call these.

Every change goes through `change()`: in one transaction it saves the request, writes a
CallbackHistory row (what changed, before and after: the undo source) and emits
`callback.updated` through the outbox with the same `kind` and `changes`.

Undo: only a request's latest change can be undone, within UNDO_WINDOW of it, by whoever
made it (the same member, or the same API key) or by a member who manages the shop
(Owner, Admin). An undo is itself recorded (kind "undone") and cannot be undone; it is
refused when the request changed since in a way that undo would overwrite.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kairos.accounts.roles import Permission
from kairos.boundary.rules import text_problem
from kairos.callbacks.events import callback_updated
from kairos.callbacks.models import (
    CallbackAttempt,
    CallbackComment,
    CallbackHistory,
    CallbackStatus,
)
from kairos.callbacks.models import CallbackRequest as Request
from kairos.campaigns.capacity import forget_open_callbacks
from kairos.errors import Conflict, NotFound, PermissionDenied, Problems
from kairos.events.models import timestamp
from kairos.events.outbox import emit

Kind = CallbackHistory.Kind
TRACKED = ("status", "is_open", "outcome", "resolution", "assignee", "first_contact_at",
           "resolved_at")
TIMES = ("first_contact_at", "resolved_at")
UNDO_WINDOW = datetime.timedelta(minutes=15)
MAX_TEXT = 5000  # a note, comment or resolution


# -- the services -----------------------------------------------------------------------

def assign(callback, actor, email):
    """Assign to the member with this e-mail, "me" for the actor, empty/None to unassign."""
    return change(callback, actor, assignee=member(callback.organization_id, actor, email))


def set_status(callback, actor, status):
    return change(callback, actor, status=status)


def resolve(callback, actor, resolution=""):
    fields = {"status": Request.Status.RESOLVED}
    if resolution:
        fields["resolution"] = clean_text("resolution", resolution)
    return change(callback, actor, **fields)


def reopen(callback, actor):
    """Open again: in progress if someone already called, else new."""
    if callback.is_open:
        return callback
    status = Request.Status.IN_PROGRESS if callback.first_contact_at else Request.Status.NEW
    return change(callback, actor, status=status)


def log_attempt(callback, actor, outcome, note=""):
    """A call was made: the first one is the first contact; a new request is now in
    progress; the request's outcome is the latest attempt's."""
    if outcome not in Request.Outcome.values:
        raise Problems([("outcome", _("must be one of %(values)s")
                         % {"values": ", ".join(Request.Outcome.values)})])
    now = timezone.now()
    with transaction.atomic():
        attempt = CallbackAttempt.objects.create(
            callback=callback, outcome=outcome, note=clean_text("note", note or ""),
            author=actor_user(actor), author_label=actor_label(actor), created_at=now)
        fields = {"outcome": outcome}
        if callback.first_contact_at is None:
            fields["first_contact_at"] = now
        if callback.status == Request.Status.NEW:
            fields["status"] = Request.Status.IN_PROGRESS
        change(callback, actor, kind=Kind.ATTEMPT, attempt=attempt, **fields)
    return attempt


def add_comment(callback, actor, text):
    text = clean_text("text", text or "")
    if not text:
        raise Problems([("text", _("may not be empty"))])
    with transaction.atomic():
        comment = CallbackComment.objects.create(
            callback=callback, text=text, author=actor_user(actor),
            author_label=actor_label(actor))
        change(callback, actor, kind=Kind.COMMENT, comment=comment)
    return comment


def update_callback(callback, actor=None, **fields):
    """Several fields at once (the API's PATCH): status, outcome, resolution, and assignee
    as an e-mail; one history row, undone as one."""
    if "assignee" in fields:
        fields["assignee"] = member(callback.organization_id, actor, fields["assignee"])
    if "resolution" in fields:
        fields["resolution"] = clean_text("resolution", fields["resolution"] or "")
    if "outcome" in fields:
        fields["outcome"] = fields["outcome"] or ""
        if fields["outcome"] and fields["outcome"] not in Request.Outcome.values:
            raise Problems([("outcome", _("must be one of %(values)s")
                             % {"values": ", ".join(Request.Outcome.values)})])
    return change(callback, actor, **fields)


def undo_last(callback, actor):
    """Put the request back as it was before its latest change; returns the request."""
    with transaction.atomic():
        last = callback.history.order_by("-created_at", "-id").first()
        check_undoable(last, actor)
        now = snapshot(callback)
        moved = [name for name, (_before, after) in last.changes.items()
                 if name in TRACKED and now[name] != after]
        if moved:
            raise Conflict(moved[0], _("changed since; the last change can no longer be "
                                       "undone"))
        restored = {name: stored_value(callback, name, before)
                    for name, (before, _after) in last.changes.items() if name in TRACKED}
        for added in (last.attempt, last.comment):
            if added is not None:
                added.delete()
        CallbackHistory.objects.filter(pk=last.pk).update(undone=True)
        change(callback, actor, kind=Kind.UNDONE, undone_kind=last.kind, **restored)
    return callback


# -- statuses ---------------------------------------------------------------------------

def status_is_open(organization_id, key):
    """Whether a status counts as open; Problems("status") if the shop has no such one."""
    if key in (Request.Status.NEW, Request.Status.IN_PROGRESS):
        return True
    if key == Request.Status.RESOLVED:
        return False
    custom = (CallbackStatus.objects.filter(organization_id=organization_id, key=key)
              .values_list("counts_as_open", flat=True).first())
    if custom is None:
        raise Problems([("status", _("not a status of this shop: %(key)s")
                         % {"key": repr(str(key)[:40])})])
    return custom


# -- the one way a request changes ----------------------------------------------------

def change(callback, actor, kind=None, attempt=None, comment=None, undone_kind=None,
           **fields):
    """Apply `fields` (model values), derive is_open and resolved_at from the status,
    record history and emit `callback.updated`, all or nothing. Returns the request."""
    before = snapshot(callback)
    if "status" in fields:
        derive_from_status(callback, fields)
    for name, value in fields.items():
        setattr(callback, name, value)
    after = snapshot(callback)
    changes = {name: [before[name], after[name]] for name in TRACKED
               if before[name] != after[name]}
    if not changes and attempt is None and comment is None:
        return callback
    kind = kind or kind_of(changes)
    with transaction.atomic():
        callback.save()
        CallbackHistory.objects.create(
            callback=callback, kind=kind, changes=changes, actor=actor_user(actor),
            actor_label=actor_label(actor), attempt=attempt, comment=comment)
        emit(callback.organization, "callback.updated",
             callback_updated(callback, changes, kind, extra(attempt, comment, undone_kind)))
    return callback


def derive_from_status(callback, fields):
    is_open = status_is_open(callback.organization_id, fields["status"])
    fields["is_open"] = is_open
    if "resolved_at" in fields:  # an undo restores it as it was
        return
    if is_open:
        fields["resolved_at"] = None
    elif callback.is_open or callback.resolved_at is None:
        fields["resolved_at"] = timezone.now()


def kind_of(changes):
    status = changes.get("status")
    if status:
        if status[1] == Request.Status.RESOLVED:
            return Kind.RESOLVED
        if "is_open" in changes and changes["is_open"][1]:
            return Kind.REOPENED
        return Kind.STATUS
    if "resolution" in changes:
        return Kind.RESOLUTION
    if "assignee" in changes:
        return Kind.ASSIGNED
    return Kind.OUTCOME


def extra(attempt, comment, undone_kind):
    if attempt is not None:
        return {"attempt": {"id": attempt.pk, "outcome": attempt.outcome,
                            "note": attempt.note, "by": attempt.author_label}}
    if comment is not None:
        return {"comment": {"id": comment.pk, "text": comment.text,
                            "by": comment.author_label}}
    if undone_kind is not None:
        return {"undone": undone_kind}
    return {}


def snapshot(callback):
    """The tracked fields as JSON values (the history's before/after)."""
    values = {name: getattr(callback, name) for name in TRACKED if name != "assignee"}
    values["assignee"] = callback.assignee.email if callback.assignee_id else None
    for name in TIMES:
        values[name] = timestamp(values[name]) if values[name] else None
    return values


def stored_value(callback, name, value):
    """A history value back as the model's (the inverse of snapshot)."""
    if name in TIMES:
        return datetime.datetime.fromisoformat(value) if value else None
    if name == "assignee":
        if value is None:
            return None
        user = members(callback.organization_id).filter(email=value).first()
        if user is None:
            raise Conflict("assignee", _("%(email)s is no longer a member of this shop")
                           % {"email": value})
        return user
    return value


def check_undoable(last, actor):
    if last is None or last.kind == Kind.UNDONE or last.undone:
        raise Conflict("history", _("there is no change to undo"))
    if timezone.now() - last.created_at > UNDO_WINDOW:
        raise Conflict("history", _("the last change is older than %(minutes)s minutes and "
                                    "can no longer be undone")
                       % {"minutes": int(UNDO_WINDOW.total_seconds() // 60)})
    if actor_label(actor) != last.actor_label and not actor.can(Permission.MANAGE_SETTINGS):
        raise PermissionDenied("history", _("only who made the change, an Owner or an Admin "
                                            "may undo it"))


# -- who --------------------------------------------------------------------------------

def members(organization_id):
    return get_user_model().objects.filter(memberships__organization_id=organization_id)


def member(organization_id, actor, email):
    """The shop's member with this e-mail ("me": the actor); None for no one."""
    if not email:
        return None
    if email == "me":
        if actor_user(actor) is None:
            raise Problems([("assignee", _("an API key is not a member; give an e-mail"))])
        email = actor.user.email
    user = members(organization_id).filter(email=email.strip().lower()).first()
    if user is None:
        raise Problems([("assignee", _("not a member of this shop"))])
    return user


def actor_user(actor):
    user = getattr(actor, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def actor_label(actor):
    """Who, in the history: the member's e-mail, or the API key's name."""
    if actor is None:
        return ""
    user = actor_user(actor)
    if user is not None:
        return user.email
    api_key = getattr(actor, "api_key", None)
    # Not translated: undo compares it with the label of the change.
    return f"API key {api_key.name}" if api_key else ""


def clean_text(field, text):
    if not isinstance(text, str):
        raise Problems([(field, _("must be text"))])
    problem = text_problem(text)
    if problem:
        raise Problems([(field, problem)])
    if len(text) > MAX_TEXT:
        raise Problems([(field, _("at most %(count)s characters") % {"count": MAX_TEXT})])
    return text.strip()


# -- the shop's own statuses -------------------------------------------------------------

SYSTEM_COLOURS = {Request.Status.NEW: "#d97706", Request.Status.IN_PROGRESS: "#2563eb",
                  Request.Status.RESOLVED: "#16a34a"}
STATUS_FIELDS = ("title", "colour", "counts_as_open", "position")


def statuses(organization):
    """Every status a request of the shop may have, the system ones first, as dicts."""
    system = [{"key": key, "title": str(label), "colour": SYSTEM_COLOURS[key],
               "counts_as_open": key != Request.Status.RESOLVED, "position": 0,
               "system": True} for key, label in Request.Status.choices]
    own = [status_dict(s) for s in CallbackStatus.objects.filter(organization=organization)]
    return system + own


def status_dict(status):
    return {**{name: getattr(status, name) for name in ("key", *STATUS_FIELDS)},
            "system": False}


def create_status(organization, key, **fields):
    if key in Request.Status.values:
        raise Conflict("key", _("%(key)s is a system status") % {"key": key})
    if CallbackStatus.objects.filter(organization=organization, key=key).exists():
        raise Conflict("key", _("the shop already has a status %(key)s") % {"key": key})
    return CallbackStatus.objects.create(organization=organization, key=key,
                                         **clean_status(fields))


def update_status(actor, key, **fields):
    """Change a status of the shop's own; requests with it follow whether it is open."""
    organization = actor.organization
    status = own_status(organization, key)
    for name, value in clean_status(fields).items():
        setattr(status, name, value)
    with transaction.atomic():
        status.save()
        follow_status(status, actor)
        transaction.on_commit(lambda: forget_open_callbacks(organization.pk))
    return status


def follow_status(status, actor):
    """Requests whose status now counts differently open or close the one way a request
    changes: each gets its history line (who changed the status' meaning) and integrators a
    `callback.updated`, so nobody's copy of `is_open` goes stale."""
    moved = (Request.objects.select_for_update(of=("self",))
             .select_related("organization", "assignee")
             .filter(organization=status.organization_id, status=status.key)
             .exclude(is_open=status.counts_as_open).order_by("pk"))
    for callback in moved:
        change(callback, actor, kind=Kind.STATUS, status=status.key)


def delete_status(organization, key):
    """Only a status no request has: what it meant must not silently change."""
    status = own_status(organization, key)
    used = Request.objects.filter(organization=organization, status=key).count()
    if used:
        raise Conflict("key", _("%(count)s requests have this status; give them another "
                                "one first") % {"count": used})
    status.delete()


def own_status(organization, key):
    if key in Request.Status.values:
        raise Conflict("key", _("%(key)s is a system status and cannot be changed")
                       % {"key": key})
    status = CallbackStatus.objects.filter(organization=organization, key=key).first()
    if status is None:
        raise NotFound("key", _("no such status"))
    return status


def clean_status(fields):
    if "title" in fields:
        fields["title"] = clean_text("title", fields["title"])
        if not fields["title"]:
            raise Problems([("title", _("may not be empty"))])
    return {name: value for name, value in fields.items() if name in STATUS_FIELDS}
