"""Writing many new rows at once.

``insert(objs)``: Model.objects.bulk_create without the primary keys coming back, by COPY on
PostgreSQL. bulk_create there sends each column as an array, and psycopg quotes every element of
an array of text or JSON with a regular expression: for seed_scale's hundreds of thousands of
rows that quoting took longer than the database took to store them.

``without_indexes(model)``: on PostgreSQL, a block that writes millions of rows into the table
without its indexes and foreign keys, which are rebuilt at its end: building an index once is
quicker than keeping it up row by row, and a foreign key is checked by one join instead of a
trigger per row.
"""

import itertools
from contextlib import contextmanager

from django.db import connection, models, transaction

_PLAIN = (
    models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.SmallIntegerField,
    models.PositiveSmallIntegerField, models.PositiveIntegerField, models.BigIntegerField, models.DateField,
    models.DateTimeField, models.DecimalField, models.ForeignKey,
)  # fmt: skip


def insert(objs, *, batch_size=5000) -> int:
    """Insert new model instances (all of one model; a generator is read as it goes, never held
    whole); their primary keys are not set. Returns how many."""
    objs = iter(objs)
    first = next(objs, None)
    if first is None:
        return 0
    model, objs = type(first), itertools.chain([first], objs)
    if connection.vendor != "postgresql":
        written = 0
        while batch := list(itertools.islice(objs, batch_size)):
            model.objects.bulk_create(batch)
            written += len(batch)
        return written
    written = 0
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    # Values psycopg adapts as they are go straight from the instance; any other is prepared as
    # bulk_create prepares it (pre_save fills auto_now(_add), then the field's own preparation).
    plain = [
        type(f) in _PLAIN and not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) for f in fields
    ]
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            written += 1
            copy.write_row(
                [
                    getattr(obj, f.attname) if is_plain else f.get_db_prep_save(f.pre_save(obj, True), connection)
                    for f, is_plain in zip(fields, plain, strict=True)
                ]
            )
    return written


@contextmanager
def without_indexes(model):
    """A transaction that, on PostgreSQL and outside any other transaction, drops the table's indexes (but its primary key), unique
    constraints and foreign keys, and recreate them from their own definitions (the same names, as the migrations made them)
    when the block ends without an error; an error rolls the transaction, drops included, back."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # Inside a caller's transaction, its earlier writes may have checks pending on these keys,
        # which PostgreSQL will not let a table with them be altered: keep everything.
        with transaction.atomic():
            yield
        return
    with transaction.atomic():
        yield from _dropped(model)


def _dropped(model):
    table, quote = model._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype",
            [table],
        )
        constraints = cursor.fetchall()  # foreign keys, then unique constraints (each an index)
        for name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in reversed(constraints):
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
