"""公示: published for N working days; objections answered; final only after the period ends
with no upheld objection; the text never changes once published (a digest proves it)."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.calendar import add_workdays
from core.language import written_date
from democracy.models import Notice, NoticeStatus, Objection
from democracy.services import DemocracyError

DEFAULT_WORKDAYS = 5


def notice_publish(*, unit, title, body, by, today, workdays=DEFAULT_WORKDAYS, ballot=None) -> Notice:
    if workdays < 1:
        raise DemocracyError(_("公示期至少1个工作日。"), field="workdays")
    if ballot is not None and type(ballot).objects.get(pk=ballot.pk).is_sealed:
        raise DemocracyError(_("投票截止后才能公示结果。"))
    ends_on = add_workdays(today, workdays)
    return Notice.objects.create(
        unit=unit,
        ballot=ballot,
        title=title.strip(),
        body=body.strip(),
        workdays=workdays,
        published_on=today,
        ends_on=ends_on,
        published_by=by,
        digest=Notice.digest_of(title.strip(), body.strip(), today, ends_on),
    )


def objection_add(*, notice, text, today, user=None) -> Objection:
    """An objection within the period; anonymous ones (user None) keep only the day."""
    if not notice.in_period(today) or notice.status != NoticeStatus.PUBLISHED:
        raise DemocracyError(
            _("公示期为%(start)s至%(end)s，现在不在公示期内，不能提出异议。")
            % {"start": written_date(notice.published_on), "end": written_date(notice.ends_on)}
        )
    if not text.strip():
        raise DemocracyError(_("请写明异议的内容和理由。"), field="text")
    return Objection.objects.create(notice=notice, user=user, text=text.strip(), received_on=today)


def objection_answer(*, objection, answer, upheld: bool, today) -> Objection:
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("notice").get(pk=objection.pk)
        if objection.answered_on is not None:
            raise DemocracyError(_("这条异议已经答复过了。"))
        if not answer.strip():
            raise DemocracyError(_("请填写答复内容。"), field="answer")
        objection.answer = answer.strip()
        objection.upheld = upheld
        objection.answered_on = today
        objection.save(update_fields=["answer", "upheld", "answered_on"])
        if upheld:
            Notice.objects.filter(pk=objection.notice_id).update(status=NoticeStatus.WITHDRAWN)
        return objection


def notice_finalize(*, notice, today) -> Notice:
    """Make the result final: only after the last working day of the period, with every
    objection answered and none upheld."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.status != NoticeStatus.PUBLISHED:
            raise DemocracyError(_("这条公示已经生效或已撤回。"))
        if today <= notice.ends_on:
            raise DemocracyError(_("公示期到%(end)s结束，期满后才能确认结果。") % {"end": written_date(notice.ends_on)})
        if notice.objections.filter(answered_on__isnull=True).exists():
            raise DemocracyError(_("还有未答复的异议，答复后才能确认结果。"))
        if notice.objections.filter(upheld=True).exists():
            raise DemocracyError(_("有成立的异议，结果不能生效。"))
        notice.status = NoticeStatus.FINAL
        notice.finalized_on = today
        notice.save(update_fields=["status", "finalized_on"])
        return notice
