"""The income list and the share owed upward read the same accounts as the budget's income lines."""

import datetime
from decimal import Decimal

from django.urls import reverse

from finance import reports, services
from finance.models import IncomeKind, Settings
from members.models import Member


def _group_dues(units, zhuxi, amount="38100"):
    return services.income_record(
        unit=units["g1"],
        by=zhuxi,
        kind=IncomeKind.DUES,
        amount=amount,
        received_on=datetime.date(2026, 3, 12),
        payer="东街小组",
        dues_year=2026,
        dues_month=3,
    )


def test_a_group_s_dues_are_listed_and_owed_upward_by_the_union_that_books_them(client_for, units, zhuxi, budget):
    Settings.objects.create(unit=units["school"], dues_upward_share=Decimal("50"))
    dues = _group_dues(units, zhuxi)
    assert dues.line.budget == budget
    page = client_for(zhuxi).get(reverse("finance:incomes")).content.decode()
    assert "¥38,100.00" in page and units["g1"].display_name in page
    assert f"/finance/income/{dues.pk}/reverse/" in page
    share = next(s for s in services.upward_shares(units["school"], 2026) if s.kind_label == str(IncomeKind.DUES.label))
    assert share.received == reports.budget_overview(budget).income_actual == Decimal("38100.00")
    assert share.owed == Decimal("19050.00")


def test_the_unpaid_list_says_how_many_it_leaves_out(client_for, units, zhuxi, budget):
    Member.objects.bulk_create(
        Member(unit=units["g2"], name=f"会员{i:02}", gender="F", birth_date=datetime.date(1990, 1, 1))
        for i in range(53)
    )
    page = client_for(zhuxi).get(reverse("finance:incomes")).content.decode()
    assert "另有 3 人未列出" in page
