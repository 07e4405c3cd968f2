"""A task for the worker tests: the first run marks a file and then hangs (to be killed), a retry ends at once."""

import time
from pathlib import Path

from django_tasks import task


@task()
def hang_once(marker):
    path = Path(marker)
    if path.exists():
        return "done"
    path.write_text("started", encoding="utf-8")
    time.sleep(300)
    return "woke"
