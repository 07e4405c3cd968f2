"""A union's chair is withdrawn only from the unit above: a co-chair cannot take the union over, and a
union is never left without a chair by its own people."""

from django.urls import reverse

from conftest import make_person
from orgs.models import RoleAssignment
from orgs.roles import Role


def test_a_co_chair_cannot_remove_the_other_chair_nor_herself(client_for, zhuxi, units):
    co_chair = make_person("liuxiaomei", "刘晓梅", units["school"], Role.CHAIR)
    client = client_for(co_chair)
    first = RoleAssignment.objects.get(user=zhuxi, role=Role.CHAIR)
    response = client.post(reverse("orgs:role_remove", args=[first.pk]), follow=True)
    assert "工会主席的角色只能由上级单位撤销" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=first.pk).exists()

    own = RoleAssignment.objects.get(user=co_chair)
    client.post(reverse("orgs:role_remove", args=[own.pk]))
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    page = client.get(reverse("orgs:roles", args=[units["school"].pk])).content.decode()
    assert reverse("orgs:role_remove", args=[own.pk]) not in page  # no 撤销 that would be refused
    assert reverse("orgs:role_remove", args=[first.pk]) not in page


def test_the_county_removes_a_unions_last_chair(client_for, zhuxi, xianzong, units):
    chair = RoleAssignment.objects.get(user=zhuxi, role=Role.CHAIR)
    client_for(xianzong).post(reverse("orgs:role_remove", args=[chair.pk]))
    assert not RoleAssignment.objects.filter(pk=chair.pk).exists()


def test_the_confirmation_page_of_a_chair_role_says_why_and_offers_no_button(client_for, zhuxi, xianzong, units):
    """A chair who opens 撤销 of her own role by its address is told at once that only the unit above
    withdraws it, instead of confirming a withdrawal that is then refused."""
    chair = RoleAssignment.objects.get(user=zhuxi, role=Role.CHAIR)
    url = reverse("orgs:role_remove", args=[chair.pk])
    own = client_for(zhuxi).get(url).content.decode()
    assert 'data-testid="not-removable"' in own and "确认撤销" not in own
    above = client_for(xianzong).get(url).content.decode()
    assert "确认撤销" in above and 'data-testid="not-removable"' not in above
