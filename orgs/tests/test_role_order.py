"""The unit page's 工会干部 card reads by seniority (主席, 副主席, 委员, …), not by the roles' codes, which
put 经审委员 before 工会主席, and lists officers, not the members who hold 会员 through the roster."""

import re

from django.urls import reverse

from conftest import make_person
from orgs.roles import Role


def test_officers_are_listed_chair_first_and_members_not_in_the_officers_card(client_for, zhuxi, units):
    make_person("jingshen", "钱进", units["school"], Role.AUDITOR)
    make_person("fuzhuxi", "吴芳", units["school"], Role.VICE_CHAIR)
    make_person("huiyuan2", "郑会员", units["school"], Role.MEMBER)
    client = client_for(zhuxi)

    card = client.get(reverse("orgs:detail", args=[units["school"].pk])).content.decode()
    card = card[card.index("工会干部") :]
    names = re.findall(r"王建国|吴芳|钱进|郑会员", card)
    assert names[:3] == ["王建国", "吴芳", "钱进"]
    assert "郑会员" not in names
