"""What the roster contributes to other pages: plan-target metrics, the home card, and the
membership part of the year-end summary (registered in MembersConfig.ready())."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from core.figures import Card, SummarySection, home_card, metric, summary_section
from core.language import written_date
from members.models import Member, Transfer
from members.services import current_statistics, roster_statistics, share
from orgs.access import has_permission


def _year_end(year):
    """The day figures for ``year`` are read on: its last day, or today for the current year (a closed
    year's plan, archive and summary then keep the figures of its end)."""
    today = timezone.localdate()
    return min(datetime.date(year, 12, 31), today) if year >= today.year else datetime.date(year, 12, 31)


@metric("members.count", gettext_lazy("会员人数"), "人")
def members_count(unit, year):
    return Member.objects.in_subtree(unit).in_union(_year_end(year)).count()


@metric("members.membership_rate", gettext_lazy("入会率"), "%")
def membership_rate(unit, year):
    # Over today's headcount: the number of staff is kept as it is now, not year by year.
    return share(members_count(unit, year), unit.subtree_headcount())


@metric("members.joined", gettext_lazy("当年新入会人数"), "人")
def members_joined(unit, year):
    return (
        Member.objects.in_subtree(unit)
        .filter(joined_on__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
        .count()
    )


@metric("members.women_share", gettext_lazy("女会员占比"), "%")
def women_share(unit, year):
    figures = (
        Member.objects.in_subtree(unit)
        .in_union(_year_end(year))
        .aggregate(all=Count("id"), women=Count("id", filter=Q(gender="F")))
    )
    return share(figures["women"], figures["all"])


@home_card
def members_card(request, unit):
    if not has_permission(request.user, "members.view", unit):
        return []
    figures = current_statistics(unit)
    card = Card(
        title=pgettext("count", "会员"),
        value=ngettext("%(count)s 人", "%(count)s 人", figures["members"]) % {"count": figures["members"]},
        note=_("入会率 %(rate)s · 女会员 %(women)s")
        % {
            "rate": f"{figures['membership_rate']}%" if figures["membership_rate"] is not None else "—",
            "women": f"{figures['women_share']}%" if figures["women_share"] is not None else "—",
        },
        url=reverse("members:list"),
        order=10,
        as_of=figures["as_of"],
    )
    if has_permission(request.user, "members.transfer", unit):
        waiting = Transfer.objects.pending().incoming_to(unit).count()
        if waiting:
            card.todos.append(
                (
                    ngettext("%(count)d 项转会待接收", "%(count)d 项转会待接收", waiting) % {"count": waiting},
                    reverse("members:transfers") + "?box=in",
                )
            )
    return [card]


@summary_section
def membership_summary(unit, year):
    on = _year_end(year)
    figures = roster_statistics(unit, on=on)
    if not figures["members"] and not figures["joined"] and not figures["left"]:
        return None
    counts = {"members": figures["members"], "women": figures["women"], "migrants": figures["migrant_workers"]}
    paragraphs = [
        _("截至%(year)d年底，共有会员%(members)d人，其中女会员%(women)d人，农民工会员%(migrants)d人。")
        % {"year": year, **counts}
        if on == datetime.date(year, 12, 31)
        # A summary drafted in December counts today's roster: it says so, not the year's end still to come.
        else _("截至%(date)s，共有会员%(members)d人，其中女会员%(women)d人，农民工会员%(migrants)d人。")
        % {"date": written_date(on), **counts},
        _("全年新入会%(joined)d人，退会或减员%(left)d人。") % {"joined": figures["joined"], "left": figures["left"]},
    ]
    if figures["membership_rate"] is not None:
        paragraphs[0] += _("入会率%(rate)s%%。") % {"rate": figures["membership_rate"]}
    return SummarySection(
        heading=_("会员发展"),
        paragraphs=paragraphs,
        figures=[
            (_("会员人数"), str(figures["members"])),
            (_("入会率"), f"{figures['membership_rate']}%" if figures["membership_rate"] is not None else "—"),
            (_("女会员占比"), f"{figures['women_share']}%" if figures["women_share"] is not None else "—"),
            (_("新入会"), str(figures["joined"])),
            (_("退会或减员"), str(figures["left"])),
        ],
        order=10,
    )
