"""Reads that may go to a replica: heavy read-only reports only, never a write, never a read
that must see the request's own write.

A view or function opts in with ``@reads_from_replica`` (or ``with replica_reads():``); inside,
reads go to the ``replica`` database when ``DATABASE_REPLICA_URL`` configured one, except
- inside a transaction on the primary (its reads must see its writes), and
- after anything in the same request (or task) wrote: from then on it reads the primary.
Everything else, and every write, uses ``default``. A replica lags its primary by a moment, which
reports of yesterday's and this year's figures can bear and a form's redirect could not.
"""

import contextlib
import functools
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_started
from django.db import connections

REPLICA = "replica"

_replica_wanted: ContextVar[bool] = ContextVar("replica_wanted", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads():
    token = _replica_wanted.set(True)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


def reads_from_replica(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with replica_reads():
            return func(*args, **kwargs)

    return wrapper


def _new_request(**kwargs):
    _wrote.set(False)


request_started.connect(_new_request, dispatch_uid="core.routing.new_request")


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _replica_wanted.get() or _wrote.get() or not replica_configured():
            return None
        if connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database and its copy

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
