"""A union set up after a call's deadline was never asked: it is neither late on the county's pages nor
given the call as a to-do (a union added in December was "逾期未报" for the plans due in March)."""

import datetime

from django.urls import reverse

from conftest import make_person
from federation import figures
from federation import filing as machine
from federation.models import UnitState
from federation.tests.conftest import TODAY
from orgs.models import OrgUnit, UnitKind
from orgs.roles import Role


def test_a_union_set_up_after_the_deadline_is_not_asked_and_one_set_up_before_it_is(
    client_for, plan_call, units, xianzong
):
    plan_call.due = TODAY - datetime.timedelta(days=30)  # the county's call from the spring
    plan_call.save()
    county = OrgUnit.objects.get(pk=units["county"].pk)
    erxiao = OrgUnit.objects.add_child(
        county, {"code": "cg-erxiao", "name": "城关镇第二小学工会", "kind": UnitKind.UNION}
    )
    liu = make_person("liuxiaomei", "刘晓梅", erxiao, Role.CHAIR)

    states = {entry.unit.code: entry.state for entry in machine.call_states(plan_call, today=TODAY)}
    assert "cg-erxiao" not in states and states["demo-school"] == UnitState.LATE
    rows = {row.unit.code: row.plan_state for row in figures.unit_figures(county, TODAY.year, today=TODAY)}
    assert rows["cg-erxiao"] == UnitState.NOT_ASKED and rows["demo-school"] == UnitState.LATE
    assert "无需报送" in client_for(xianzong).get(reverse("federation:units")).content.decode()
    # Its chair has nothing to file for it, on the to-do list or the filings page.
    client = client_for(liu)
    assert "年度工作计划报备" not in client.get(reverse("workbench:todo")).content.decode()
    assert "年度工作计划报备" not in client.get(reverse("federation:index")).content.decode()

    # Set up before the deadline (after the call was issued), a union is asked like the others.
    plan_call.due = TODAY + datetime.timedelta(days=30)
    plan_call.save()
    assert "cg-erxiao" in {entry.unit.code for entry in machine.call_states(plan_call, today=TODAY)}
