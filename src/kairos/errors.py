"""Kairos' own vocabulary of refusals, raised by services and rendered by each front end.

Services say what went wrong in the domain's words; the admin and public APIs answer
`{"detail": …}` with the error's status (kairos/api.py), the dashboard shows a page or the
form's errors (kairos/dashboard/errors.py), and the command line a `CommandError`
(kairos/command.py). No service raises an HTTP error or knows which front end called it.
Messages are written with gettext, so each front end speaks its caller's language.
"""


class KairosError(Exception):
    """A refusal every front end knows how to render; `status` is its HTTP answer."""

    status = 400
    headers: dict[str, str] = {}  # what the HTTP answer adds, e.g. Retry-After

    def __init__(self, field, message):
        super().__init__(field, message)
        self.field, self.message = field, message

    def __str__(self):
        return f"{self.field}: {self.message}" if self.field else str(self.message)

    def as_detail(self):
        return {"detail": str(self)}


class Problems(KairosError):
    """Every problem found in an input, as (field, message) pairs; answered as 422."""

    status = 422

    def __init__(self, problems):
        self.problems = [(field, str(message)) for field, message in problems]
        super().__init__(*(self.problems[0] if self.problems else ("", "")))

    def __str__(self):
        return "; ".join(f"{f}: {m}" for f, m in self.problems)

    def as_detail(self):
        return {"detail": str(self),
                "errors": [{"field": f, "message": m} for f, m in self.problems]}


class NotFound(KairosError):
    """What the request names does not exist in this shop (or is not the caller's)."""

    status = 404


class Conflict(KairosError):
    """The request clashes with what is already stored, e.g. a second callback request."""

    status = 409


class PermissionDenied(KairosError):
    """The caller's role, key or origin may not do this."""

    status = 403


class TooManyRequests(KairosError):
    """The caller sent more than its share: it may try again after `retry_after` seconds."""

    status = 429

    def __init__(self, field, message, retry_after):
        super().__init__(field, message)
        self.headers = {"Retry-After": str(retry_after)}


def field_name(location):
    """A pydantic/ninja error location as the field a client sent: ["body", "payload",
    "answers", "nps"] -> "answers.nps" (the plumbing dropped)."""
    parts = [str(p) for p in location
             if p not in ("body", "payload", "query", "path", "header")]
    return ".".join(parts) or "body"
