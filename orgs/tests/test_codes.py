"""Unit codes: officers see them on a unit's page and in search results, where they need them (the add form
asks for one, a roster sheet's unit column may hold one); the tree they browse shows names alone."""

from django.urls import reverse


def test_chair_sees_the_codes_on_unit_pages_but_browses_the_tree_by_name(client_for, zhuxi, units):
    client = client_for(zhuxi)
    detail = client.get(reverse("orgs:detail", args=[units["school"].pk])).content.decode()
    assert "<code>demo-school-g1</code>" in detail
    tree = client.get(reverse("orgs:children", args=[units["school"].pk])).content.decode()
    assert "东关完小工会小组" in tree and "demo-school-g1" not in tree


def test_site_administrator_still_sees_the_codes(client, units, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password="x", full_name="管理员")
    client.force_login(admin)
    html = client.get(reverse("orgs:detail", args=[units["school"].pk])).content.decode()
    assert "demo-school-g1" in html
