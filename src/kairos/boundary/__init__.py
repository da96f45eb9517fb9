"""What Kairos accepts at its edges, checked once per kind of entry point.

Text the databases can store and read back (no NUL character, no lone UTF-16
surrogate), whole numbers a signed 64-bit column holds, finite numbers, dates of this
millennium, JSON nested at most MAX_JSON_DEPTH levels. Anything else is refused with a
message naming the field (README: "What Kairos accepts"); nothing is silently changed.

- `rules`: the rules themselves, plain functions; the questionnaire validation that the
  APIs and the CSV import share uses them directly.
- `schemas`: `Input`, the base of every request schema of both APIs (bodies, query
  strings, headers; the lean hot path validates with the same schema), `Id` for ids.
- `forms`: `BoundaryForm`, mixed into every dashboard form (filters read from query
  strings too), and `JsonField` for JSON typed into a form.
"""
