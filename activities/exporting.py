"""The registration list as rows for core.tables: the page's download and the command share it."""

from django.utils.translation import gettext as _

from activities.models import RegistrationStatus
from core.tables import DATETIME_WIDTH, Column

SCORE = "0.00"  # scores are kept to hundredths


def registration_columns():
    return [
        Column(_("序号"), 6),
        Column(_("姓名"), 12),
        Column(_("单位"), 24),
        Column(_("状态"), 10),
        Column(_("报名时间"), DATETIME_WIDTH),
        Column(_("签到时间"), DATETIME_WIDTH),
        Column(_("备注"), 12),
    ]


def registration_rows(activity):
    """Registered first, then the waiting list in its order; cancelled registrations are left out."""
    rows = (
        activity.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("member__unit")
        .order_by("status", "created_at", "id")
    )
    for number, r in enumerate(rows.iterator(chunk_size=500), start=1):
        yield [
            number,
            r.member.name,
            r.member.unit.name,
            r.get_status_display(),
            r.created_at,  # core.tables writes a moment as a date cell on the local clock
            r.checked_in_at,
            _("现场加入") if r.walk_in else "",
        ]


def standing_columns(rounds):
    """The competition's standings sheet: a column per round, then the overall score and the award."""
    return [
        Column(_("名次"), 6),
        Column(_("参赛者"), 16),
        Column(_("单位"), 24),
        *(Column(r.display_label, 12, SCORE) for r in rounds),
        Column(_("总成绩"), 10, SCORE),
        Column(_("荣誉称号"), 12),
    ]


def standing_rows(competition, overall):
    """A row per contestant in overall order (contests.rankings); a round nobody scored them in is empty."""
    award = competition.award_title or _("获奖者")
    for standing in overall:
        contestant = standing.contestant
        yield [
            standing.place,
            contestant.name,
            contestant.unit.display_name,
            *standing.rounds,
            standing.total,
            award if contestant.is_winner else "",
        ]
