"""Unit codes are for administrators: officers see names, never `demo-school-g2` in monospace."""

from django.urls import reverse


def test_chair_sees_unit_names_without_their_technical_codes(client_for, zhuxi, units):
    client = client_for(zhuxi)
    for url in (reverse("orgs:tree"), reverse("orgs:detail", args=[units["school"].pk]), reverse("orgs:history")):
        html = client.get(url).content.decode()
        assert "东关完小工会小组" in html or url == reverse("orgs:history"), url
        assert "demo-school-g1" not in html, url


def test_site_administrator_still_sees_the_codes(client, units, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password="x", full_name="管理员")
    client.force_login(admin)
    html = client.get(reverse("orgs:detail", args=[units["school"].pk])).content.decode()
    assert "demo-school-g1" in html
