"""The reminder job: N working days ahead (core.calendar), once per unit and deadline, rerun safely."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from core import calendar
from federation import services
from federation.models import CallKind, ReminderSent


def issue(units, xianzong, due, today):
    return services.call_issue(
        unit=units["county"], kind=CallKind.PLAN, year=due.year, title="年度计划报备", due=due, by=xianzong, today=today
    )


def reminders(user):
    return user.notifications.filter(kind="federation.reminder")


def test_units_are_reminded_n_working_days_ahead_once_however_often_the_job_runs(units, xianzong, zhuxi, jiguan):
    today = datetime.date(2026, 9, 28)  # a Monday before the National Day holiday
    due = calendar.add_workdays(today, 3)  # the holiday's days off do not count
    assert due > today + datetime.timedelta(days=3)
    issue(units, xianzong, due, today)
    assert services.send_deadline_reminders(today=today - datetime.timedelta(days=1), workdays=3) == 0
    assert services.send_deadline_reminders(today=today, workdays=3) == 2
    assert services.send_deadline_reminders(today=today, workdays=3) == 0
    assert services.send_deadline_reminders(today=today + datetime.timedelta(days=1), workdays=3) == 0
    assert reminders(zhuxi).count() == 1 and reminders(jiguan).count() == 1
    assert "年度计划报备" in reminders(zhuxi).get().text


def test_units_that_filed_are_not_reminded(units, xianzong, zhuxi, jiguan, make_plan):
    from federation import filing as machine
    from federation.kinds import plan_snapshot

    today = datetime.date(2026, 6, 1)
    call = issue(units, xianzong, calendar.add_workdays(today, 2), today)
    plan = make_plan()
    filing = machine.filing_for(kind=CallKind.PLAN, unit=units["school"], title=plan.title, call=call)
    machine.filing_file(filing=filing, by=zhuxi, data=plan_snapshot(plan))
    assert services.send_deadline_reminders(today=today, workdays=3) == 1
    assert not reminders(zhuxi).exists() and reminders(jiguan).count() == 1


def test_a_moved_deadline_is_reminded_again(units, xianzong, jiguan):
    today = datetime.date(2026, 6, 1)
    call = issue(units, xianzong, calendar.add_workdays(today, 1), today)
    services.send_deadline_reminders(today=today, workdays=3)
    call.due = calendar.add_workdays(today, 2)
    call.save()
    services.send_deadline_reminders(today=today, workdays=3)
    assert reminders(jiguan).count() == 2
    assert ReminderSent.objects.filter(call=call, unit=units["office"]).count() == 2


def test_the_command_runs_the_job_twice_without_sending_twice(units, xianzong, zhuxi):
    today = datetime.date(2026, 6, 1)
    issue(units, xianzong, calendar.add_workdays(today, 2), today)
    call_command("send_reminders", "--today", today.isoformat(), "--workdays", "3")
    call_command("send_reminders", "--today", today.isoformat(), "--workdays", "3")
    assert reminders(zhuxi).count() == 1


def test_the_worker_task_runs_the_same_job(units, xianzong, zhuxi):
    from federation.tasks import send_reminders_task

    today = timezone.localdate()
    issue(units, xianzong, calendar.add_workdays(today, 1), today)
    # The immediate backend in tests, RQ in CI's second run, the worker in production: what the task
    # did is read from its effect (and from its result once finished), not from enqueue's return.
    send_reminders_task.enqueue(workdays=3)
    assert reminders(zhuxi).count() == 1
    send_reminders_task.enqueue(workdays=3)
    assert reminders(zhuxi).count() == 1
