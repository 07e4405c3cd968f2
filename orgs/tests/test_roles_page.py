"""角色分配 of a union whose members opened their own accounts: each such login holds the 会员 role
(members.services.member_role_follow), and a company union has thousands. The officers are listed in
full, the members' logins apart and a page at a time."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from orgs.models import RoleAssignment
from orgs.roles import Role
from orgs.views import MEMBER_ACCOUNTS_PER_PAGE

User = get_user_model()


def member_logins(unit, count):
    for n in range(count):
        person = User.objects.create_user(f"m{9000 + n}", full_name=f"会员{n}")
        RoleAssignment.objects.create(user=person, unit=unit, role=Role.MEMBER)


def test_members_logins_come_a_page_at_a_time_below_the_officers(
    client_for, zhuxi, units, django_assert_max_num_queries
):
    member_logins(units["school"], MEMBER_ACCOUNTS_PER_PAGE + 5)
    client = client_for(zhuxi)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("orgs:roles", args=[units["school"].pk]))
    assert [a.user for a in page.context["officers"]] == [zhuxi]
    accounts = page.context["member_accounts"]
    assert accounts.paginator.count == MEMBER_ACCOUNTS_PER_PAGE + 5
    assert len(accounts.object_list) == MEMBER_ACCOUNTS_PER_PAGE
    html = page.content.decode()
    assert html.index("王建国") < html.index('data-testid="member-accounts"')
    assert f"会员账号（{MEMBER_ACCOUNTS_PER_PAGE + 5} 个）" in html
    last = client.get(reverse("orgs:roles", args=[units["school"].pk]), {"page": 2})
    assert len(last.context["member_accounts"].object_list) == 5


def test_a_member_on_the_second_page_can_still_have_her_password_reset(client_for, zhuxi, units):
    member_logins(units["g1"], MEMBER_ACCOUNTS_PER_PAGE + 1)
    last = User.objects.get(username=f"m{9000 + MEMBER_ACCOUNTS_PER_PAGE}")
    last.set_password("gonghui-demo")
    last.save()
    page = client_for(zhuxi).get(reverse("orgs:roles", args=[units["g1"].pk]), {"page": 2})
    assert last.pk in page.context["resettable"]
    assert reverse("accounts:reset_issue", args=[last.pk]) in page.content.decode()


def test_a_unit_with_members_but_no_officers_says_it_has_no_officers(client_for, zhuxi, units):
    member_logins(units["g2"], 2)
    html = client_for(zhuxi).get(reverse("orgs:roles", args=[units["g2"].pk])).content.decode()
    assert "本单位还没有工会干部" in html
    assert "会员账号（2 个）" in html
