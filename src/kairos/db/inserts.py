"""INSERT statements prepared ahead of the transaction that runs them.

On the hot path the database's writer lock (SQLite admits one writer) should be held
for executing statements, not for building them. The statement text of a model's
INSERT never changes, so Django's own compiler builds it once per model; each row's
values are prepared exactly as `save()` prepares them (`pre_save`, then
`get_db_prep_save`). Model signals do not fire: use this only for models that have none.
"""

import functools
from dataclasses import dataclass

from django.db import connections
from django.db.models.sql import InsertQuery


@dataclass(frozen=True)
class PreparedInsert:
    sql: str
    params: tuple
    using: str = "default"

    def execute(self):
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self.params)


@functools.cache
def insert_statement(model, using):
    """The INSERT of one `model` row, with one plain placeholder per concrete field."""
    fields = model._meta.local_concrete_fields
    query = InsertQuery(model)
    query.insert_values(fields, [model()])
    [(sql, params)] = query.get_compiler(using=using).as_sql()
    if sql.count("%s") != len(fields) or len(params) != len(fields):
        raise ValueError(f"{model.__name__} needs Django's own INSERT compilation")
    return sql, fields


def prepared_insert(instance, using="default"):
    """The INSERT that would store `instance` (whose primary key is set by default)."""
    sql, fields = insert_statement(type(instance), using)
    connection = connections[using]
    params = tuple(field.get_db_prep_save(field.pre_save(instance, True), connection)
                   for field in fields)
    return PreparedInsert(sql, params, using)


def mark_saved(instance, using="default"):
    """What save() would have noted: the instance now exists in the database."""
    instance._state.adding = False
    instance._state.db = using
