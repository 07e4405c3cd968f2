"""PostgreSQL's binary COPY format, written away from any connection.

An import's worker processes encode the rows they prepare, so that the process holding the
connection only joins bytes (an id and a unit in front, the same times behind) instead of
adapting every value of every row itself. The format is PostgreSQL's own ("COPY ... FROM STDIN
(FORMAT BINARY)", described under "Binary Format" in COPY's documentation): a signature, then per
row a 16-bit count of fields and each field as a 32-bit length (-1 for NULL) and its bytes in the
type's binary form; a 16-bit -1 ends the data. Only the types the roster writes are known here.

    fields = pgcopy.encoder(["bigint", "varchar(50)", "date", "boolean"])
    rows = [pgcopy.count(4) + fields([1, "王芳", date(1985, 3, 2), False])]
    copy.write(pgcopy.SIGNATURE + b"".join(rows) + pgcopy.TRAILER)
"""

import datetime
import struct
from collections.abc import Callable, Sequence

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)  # no flags, no header extension
TRAILER = struct.pack(">h", -1)
NULL = struct.pack(">i", -1)

_EPOCH_DAYS = datetime.date(2000, 1, 1).toordinal()  # PostgreSQL's dates and times count from here
_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
_int2, _int4, _int8 = struct.Struct(">ih"), struct.Struct(">ii"), struct.Struct(">iq")
_len = struct.Struct(">i")
_TRUE, _FALSE = b"\x00\x00\x00\x01\x01", b"\x00\x00\x00\x01\x00"


def _text(value):
    data = str(value).encode()
    return _len.pack(len(data)) + data


def _boolean(value):
    return _TRUE if value else _FALSE


def _date(value):
    return _int4.pack(4, value.toordinal() - _EPOCH_DAYS)


def _timestamptz(value):
    if value.tzinfo is None:
        raise ValueError("a timestamp with time zone needs an aware datetime")
    delta = value - _EPOCH
    return _int8.pack(8, (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds)


def _smallint(value):
    return _int2.pack(2, value)


def _integer(value):
    return _int4.pack(4, value)


def _bigint(value):
    return _int8.pack(8, value)


_ENCODERS = {
    "varchar": _text,
    "text": _text,
    "boolean": _boolean,
    "date": _date,
    "timestamp with time zone": _timestamptz,
    "integer": _integer,
    "smallint": _smallint,
    "bigint": _bigint,
}


def encoder(types: Sequence[str]) -> Callable[[Sequence], bytes]:
    """A function from a sequence of values of these PostgreSQL types (as ``Field.db_type`` names
    them: "varchar(50)" is a varchar) to their fields in COPY's binary form, without the count
    in front; None is NULL."""
    try:
        encoders = [_ENCODERS[name.split("(")[0]] for name in types]
    except KeyError as error:
        raise ValueError(f"no binary COPY encoder for the type {error.args[0]}") from None

    def fields(values):
        return b"".join(
            [NULL if value is None else encode(value) for encode, value in zip(encoders, values, strict=True)]
        )

    return fields


def count(fields: int) -> bytes:
    """What starts a row of this many fields."""
    return struct.pack(">h", fields)
