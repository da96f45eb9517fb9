"""INSERT statements prepared ahead of the transaction that runs them.

On the hot path the database's writer lock (SQLite admits one writer) should be held
for executing statements, not for building them. The statement text of a model's
INSERT never changes, so Django's own compiler builds it once per model; each row's
values are prepared exactly as `save()` prepares them (`pre_save`, then
`get_db_prep_save`). Model signals do not fire: use this only for models that have none.

The statement runs on the database driver's own connection (kairos.db.driver): Django's
cursor wrapper cost three times the INSERT itself on SQLite (bench/README.md).
"""

import functools
from dataclasses import dataclass

from django.db import connections
from django.db.models import AutoField
from django.db.models.sql import InsertQuery

from kairos.db import driver


@dataclass(frozen=True)
class PreparedInsert:
    sql: str
    params: tuple
    using: str = "default"

    def execute(self):
        driver.execute(self.sql, self.params, self.using)


@functools.cache
def insert_statement(model, using, rows=1):
    """The INSERT of `rows` `model` rows in one statement, with one plain placeholder per
    concrete field and row. A database-generated key (AutoField) is left to the database.

    Django compiles the one-row statement; more rows repeat its VALUES group (Django's own
    multi-row form on PostgreSQL is an UNNEST of arrays, with parameters of another shape).
    """
    fields = [f for f in model._meta.local_concrete_fields if not isinstance(f, AutoField)]
    query = InsertQuery(model)
    query.insert_values(fields, [model()])
    [(sql, params)] = query.get_compiler(using=using).as_sql()
    head, _, row = sql.partition(" VALUES ")
    if row.count("%s") != len(fields) or len(params) != len(fields) or not (
            row.startswith("(") and row.endswith(")")):
        raise ValueError(f"{model.__name__} needs Django's own INSERT compilation")
    return f"{head} VALUES {', '.join([row] * rows)}", fields


def prepared_insert(instance, using="default"):
    """The INSERT that would store `instance` (whose primary key is set by default)."""
    return prepared_insert_many([instance], using)


def prepared_insert_many(instances, using="default"):
    """One INSERT storing every instance (all of one model)."""
    sql, fields = insert_statement(type(instances[0]), using, len(instances))
    connection = connections[using]
    params = tuple(field.get_db_prep_save(field.pre_save(instance, True), connection)
                   for instance in instances for field in fields)
    return PreparedInsert(sql, params, using)


def prepared_insert_rows(model, rows, using="default"):
    """One INSERT of `rows`, each a dict of every concrete field's attname to its value
    as the database takes it (already adapted: `connection.ops.adapt_*_value`).

    For the hottest writes: building a model instance and preparing each field costs more
    than the INSERT itself, so the caller adapts the few values it has, once.
    """
    sql, fields = insert_statement(model, using, len(rows))
    return PreparedInsert(sql, tuple(row[f.attname] for row in rows for f in fields), using)


def mark_saved(instance, using="default"):
    """What save() would have noted: the instance now exists in the database."""
    instance._state.adding = False
    instance._state.db = using
