"""A task for the worker tests: the first run marks a file and then hangs (to be killed), a retry ends at once."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def hang_once(marker):
    path = Path(marker)
    if path.exists():
        return "done"
    path.write_text(str(os.getpid()), encoding="utf-8")  # the process to kill (RQ's work horse has its own session)
    time.sleep(300)
    return "woke"
