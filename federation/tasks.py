"""Background work of the federation's year, for the task worker (django-tasks)."""

from django.utils import timezone
from django_tasks import task

from core.notifications import send_daily_digest
from federation.services import REMINDER_WORKDAYS, send_deadline_reminders


def run_daily(*, today=None, workdays=REMINDER_WORKDAYS) -> tuple[int, int]:
    """Deadline reminders, then the daily digest; safe to run any number of times a day."""
    today = today or timezone.localdate()
    reminded = send_deadline_reminders(today=today, workdays=workdays)
    digests = send_daily_digest()
    return reminded, digests


@task()
def send_reminders_task(workdays: int = REMINDER_WORKDAYS) -> list[int]:
    return list(run_daily(workdays=workdays))
