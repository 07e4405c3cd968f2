"""One paginator for every list endpoint: limit and offset bounded before they reach the database.

SQLite and PostgreSQL refuse a LIMIT or OFFSET past 64 bits (a 500 rather than a message), and no
client needs more than a page at once; out-of-range values get a 422 that names the parameter.
"""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200
MAX_OFFSET = 2**31 - 1


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(30, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
