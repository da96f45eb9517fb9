"""Typed access to a response's fields in SQL, on SQLite and PostgreSQL alike.

A JSON value of the wrong type reads as NULL, exactly as the Python predicate treats a
value of the wrong type as no value (see kairos.engine.rules). Key paths are passed as
query parameters, never pasted into the SQL.
"""

import functools

import re2
from django.db import models
from django.db.backends.signals import connection_created
from django.db.models import Expression, Func
from django.dispatch import receiver

from kairos.engine.rules.text import WHITESPACE, normalise, translation_for
from kairos.segments.postgres_regex import postgres_pattern

SQLITE_JSON_TYPES = {
    "number": "('integer', 'real')", "text": "('text')", "date": "('text')",
    "boolean": "('true', 'false')", "list": "('array')",
}
POSTGRES_JSON_TYPES = {"number": "number", "text": "string", "date": "string",
                       "boolean": "boolean", "list": "array"}
POSTGRES_CASTS = {"number": "(%s ->> %%s)::double precision", "boolean": "(%s ->> %%s)::boolean",
                  "text": "(%s ->> %%s)", "date": "(%s ->> %%s)", "list": "(%s -> %%s)"}
SQLITE_ISO_DATE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
OUTPUT_FIELDS = {"number": models.FloatField, "text": models.TextField,
                 "date": models.TextField, "boolean": models.BooleanField,
                 "list": models.JSONField}


def json_path(key):
    # Rule validation allows keys of letters, digits, _ and - only; bound as a parameter.
    return f'$."{key}"'


class JsonValue(Expression):
    """`column[key]` as a typed SQL value, NULL when absent or of another type."""

    def __init__(self, column, key, field_type):
        super().__init__(output_field=OUTPUT_FIELDS[field_type]())
        self.column, self.key, self.field_type = column, key, field_type

    def resolve_expression(self, query=None, *args, **kwargs):
        clone = self.copy()
        clone.source = models.F(self.column).resolve_expression(query, *args, **kwargs)
        return clone

    def as_sqlite(self, compiler, connection):
        column_sql, params = compiler.compile(self.source)
        path = json_path(self.key)
        types = SQLITE_JSON_TYPES[self.field_type]
        sql = (f"CASE WHEN json_type({column_sql}, %s) IN {types} "
               f"THEN json_extract({column_sql}, %s) END")
        if self.field_type == "date":  # a text that is not an ISO date is not a date
            sql = f"(CASE WHEN ({sql}) GLOB '{SQLITE_ISO_DATE}' THEN ({sql}) END)"
            return sql, (*params, path, *params, path) * 2
        return sql, (*params, path, *params, path)

    def as_postgresql(self, compiler, connection):
        column_sql, params = compiler.compile(self.source)
        value = POSTGRES_CASTS[self.field_type] % column_sql
        sql = f"CASE WHEN jsonb_typeof({column_sql} -> %s) = %s THEN {value} END"
        json_type = POSTGRES_JSON_TYPES[self.field_type]
        params = (*params, self.key, json_type, *params, self.key)
        if self.field_type == "date":  # a text that is not an ISO date is not a date
            sql = f"(CASE WHEN ({sql}) ~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}$' THEN ({sql}) END)"
            return sql, params * 2
        return sql, params

    def as_sql(self, compiler, connection):
        raise NotImplementedError(f"segments need SQLite or PostgreSQL, not {connection.vendor}")


class JsonEmpty(JsonValue):
    """`column[key]` is absent, null, "" or [] — whatever its type (as in the engine)."""

    conditional = True

    def __init__(self, column, key):
        super().__init__(column, key, "boolean")

    def as_sqlite(self, compiler, connection):
        column_sql, params = compiler.compile(self.source)
        kind = f"json_type({column_sql}, %s)"
        value = f"json_extract({column_sql}, %s)"
        sql = (f"({kind} IS NULL OR {kind} = 'null' OR ({kind} = 'text' AND {value} = '') "
               f"OR ({kind} = 'array' AND json_array_length({column_sql}, %s) = 0))")
        path = json_path(self.key)
        return sql, (*params, path) * 6

    def as_postgresql(self, compiler, connection):
        column_sql, params = compiler.compile(self.source)
        value = f"({column_sql} -> %s)"
        sql = (f"({value} IS NULL OR jsonb_typeof({value}) = 'null' "
               f"OR {value} = '\"\"'::jsonb OR {value} = '[]'::jsonb)")
        return sql, (*params, self.key) * 4


def normalised_sql(text_sql, params, constants, vendor):
    """(sql, params) of a text as rule comparisons see it: without surrounding white
    space, case folded (kairos.engine.rules.text), exactly as the engine does and whatever
    the database's locale. `constants` are the normalised texts it will be compared with.

    PostgreSQL trims Python's white space, lower()s ASCII capitals under the "C" collation
    (ASCII only, whatever the database's locale, and quicker than translate()) and
    translate()s the other non-ASCII cases of the constants' letters, which is enough
    (translation_for). SQLite has no translate(), and a replace() per letter is ten times
    slower than calling the engine's own function."""
    if vendor != "postgresql":
        return f"kairos_normalise({text_sql})", params
    sql, params = f'lower(btrim({text_sql}, %s) COLLATE "C")', (*params, WHITESPACE)
    sources, targets = translation_for(constants)
    if sources:
        sql, params = f"translate({sql}, %s, %s)", (*params, sources, targets)
    return sql, params


class Normalised(Func):
    """A text in normal form, to compare with `constants` (see normalised_sql)."""

    output_field = models.TextField()

    def __init__(self, expression, constants):
        super().__init__(expression)
        self.constants = list(constants)

    def as_sql(self, compiler, connection, **extra):
        text_sql, params = compiler.compile(self.source_expressions[0])
        return normalised_sql(text_sql, params, self.constants, connection.vendor)


class Re2Search(Func):
    """The value matches a pattern of the rule dialect anywhere: re2 itself on SQLite,
    the pattern written out as an equivalent PostgreSQL regex on PostgreSQL."""

    output_field = models.BooleanField()

    def __init__(self, expression, pattern):
        super().__init__(expression)
        self.pattern = pattern

    def as_sqlite(self, compiler, connection):
        text_sql, params = compiler.compile(self.source_expressions[0])
        return f"kairos_re2_search({text_sql}, %s)", (*params, self.pattern)

    def as_postgresql(self, compiler, connection):
        text_sql, params = compiler.compile(self.source_expressions[0])
        return f"({text_sql} ~ %s)", (*params, postgres_pattern(self.pattern))


class ListContains(Func):
    """A JSON array has a text element that, normalised, is one of the given normalised
    texts (see Normalised)."""

    output_field = models.BooleanField()

    def __init__(self, json_array, items):
        super().__init__(json_array)
        self.items = list(items)

    def as_sqlite(self, compiler, connection):
        array_sql, params = compiler.compile(self.source_expressions[0])
        element, element_params = normalised_sql("element.value", (), self.items, "sqlite")
        marks = ", ".join(["%s"] * len(self.items))
        sql = (f"EXISTS (SELECT 1 FROM json_each({array_sql}) AS element "
               f"WHERE element.type = 'text' AND {element} IN ({marks}))")
        return sql, (*params, *element_params, *self.items)

    def as_postgresql(self, compiler, connection):
        array_sql, params = compiler.compile(self.source_expressions[0])
        element, element_params = normalised_sql("(element #>> '{}')", (), self.items,
                                                 "postgresql")
        sql = (f"EXISTS (SELECT 1 FROM jsonb_array_elements({array_sql}) AS element "
               f"WHERE jsonb_typeof(element) = 'string' AND {element} = ANY(%s))")
        return sql, (*params, *element_params, self.items)


class JsonArrayLength(Func):
    output_field = models.IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="json_array_length", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="jsonb_array_length", **extra)


@functools.lru_cache(maxsize=256)
def compiled_pattern(pattern):
    return re2.compile(pattern)


def re2_search(value, pattern):
    if pattern is None or value is None:
        return None
    try:
        return compiled_pattern(pattern).search(value) is not None
    except Exception:  # an unencodable text never matches, as in the engine
        return False


def normalised(value):
    if not isinstance(value, str):
        return value
    # Inlined for ASCII texts, where folding is lower() (as in the compiled predicate).
    return value.strip().lower() if value.isascii() else normalise(value)


@receiver(connection_created)
def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("kairos_normalise", 1, normalised,
                                              deterministic=True)
        connection.connection.create_function("kairos_re2_search", 2, re2_search,
                                              deterministic=True)
