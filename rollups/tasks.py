"""The worker's part of the roll-ups: refresh marked units a few seconds after a change."""

import datetime

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from rollups import refresh as rollups_refresh


@task()
def refresh_rollups():
    cache.delete("rollups:scheduled")
    rollups_refresh.refresh()


def schedule_refresh():
    """Enqueue one refresh for the changes of the next DELAY_SECONDS (not one per change)."""
    if not cache.add("rollups:scheduled", 1, timeout=rollups_refresh.DELAY_SECONDS * 6):
        return
    run_after = timezone.now() + datetime.timedelta(seconds=rollups_refresh.DELAY_SECONDS)
    backend = refresh_rollups.get_backend()
    if backend.supports_defer:
        refresh_rollups.using(run_after=run_after).enqueue()
    else:
        refresh_rollups.enqueue()
