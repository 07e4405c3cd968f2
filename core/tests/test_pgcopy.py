"""Rows encoded in COPY's binary form away from the connection read back as they were written."""

import datetime

import pytest
from django.db import connection

from core import pgcopy

TYPES = ["bigint", "integer", "smallint", "varchar(50)", "text", "boolean", "date", "timestamp with time zone"]
ROWS = [
    [1, 2_000_000_000, 7, "王芳", "备注\n第二行", True, datetime.date(1985, 3, 2), datetime.datetime(2026, 12, 2, 4, 5, 6, 789, tzinfo=datetime.UTC)],
    [2**40, -5, 0, "", "a'b\"c\\d", False, datetime.date(1899, 12, 31), datetime.datetime(1999, 12, 31, 23, 59, 59, tzinfo=datetime.UTC)],
    [3, None, None, None, None, None, None, None],
]  # fmt: skip


def test_each_type_and_null_reads_back_as_written_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's COPY format")
    encode = pgcopy.encoder(TYPES)
    data = pgcopy.SIGNATURE + b"".join(pgcopy.count(len(TYPES)) + encode(row) for row in ROWS) + pgcopy.TRAILER
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE copied (a bigint, b integer, c smallint, d varchar(50), e text, f boolean, "
            "g date, h timestamp with time zone)"
        )
        with cursor.cursor.copy("COPY copied FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(data)
        cursor.execute("SELECT * FROM copied ORDER BY a")
        assert [list(row) for row in cursor.fetchall()] == sorted(ROWS, key=lambda row: row[0])


def test_a_naive_time_or_an_unknown_type_is_refused():
    with pytest.raises(ValueError, match="aware"):
        pgcopy.encoder(["timestamp with time zone"])([datetime.datetime(2026, 1, 1)])
    with pytest.raises(ValueError, match="jsonb"):
        pgcopy.encoder(["jsonb"])
    with pytest.raises(ValueError):
        pgcopy.encoder(["text", "text"])(["one value for two fields"])
