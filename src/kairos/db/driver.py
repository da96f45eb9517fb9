"""Hot-path statements run on the database driver's own connection.

Django's cursor wrapper (placeholder rewriting, debug bookkeeping, a new cursor per
statement) costs more than a small indexed statement itself on SQLite; on PostgreSQL
Django's client-side binding quotes every parameter into the SQL text in Python and the
server parses each statement anew. Here SQLite runs the statement on its connection
directly, and PostgreSQL on a server-binding cursor, whose statements psycopg prepares
on a connection's second use of them (OPTIONS["prepare_threshold"], settings.py): Django's
own queries keep their client-side binding, and so never become prepared statements.

Django's error translation and broken-transaction check are kept; these statements do
not appear in `connection.queries` under DEBUG. Write SQL with `%s` placeholders.
"""

import functools

from django.db import connections


def execute(sql, params, using="default"):
    """Run one statement; the driver's cursor, to fetch from."""
    return run(connections[using], sql, params)


def fetch_all(sql, params, using="default"):
    connection = connections[using]
    cursor = run(connection, sql, params)
    with connection.wrap_database_errors:
        return cursor.fetchall()


def fetch_one(sql, params, using="default"):
    connection = connections[using]
    cursor = run(connection, sql, params)
    with connection.wrap_database_errors:
        return cursor.fetchone()


def run(connection, sql, params):
    connection.validate_no_broken_transaction()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        if connection.vendor == "sqlite":
            return connection.connection.execute(sqlite_placeholders(sql), params)
        return server_binding_cursor(connection).execute(sql, params)


@functools.cache
def sqlite_placeholders(sql):
    return sql.replace("%s", "?")


def server_binding_cursor(connection):
    import psycopg

    return psycopg.Cursor(connection.connection)
