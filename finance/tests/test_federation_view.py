"""A federation reads the books of the unions below it: picked from its finance page, never written."""

from django.urls import reverse


def test_the_county_picks_a_school_and_reads_its_figures(client_for, units, pay, xianzong):
    pay("1860")
    client = client_for(xianzong)
    page = client.get(reverse("finance:home") + "?year=2026").content.decode()
    school = units["school"]
    assert 'data-testid="units-below"' in page and school.display_name in page and "¥1,860.00" in page
    assert "按标准科目新建预算" not in page
    page = client.get(reverse("finance:home") + f"?year=2026&unit={school.pk}").content.decode()
    assert school.name in page and "文体活动" in page and "¥1,860.00" in page
    assert reverse("finance:payment_new") not in page and "预算调整" not in page
    report = client.get(reverse("finance:report") + f"?year=2026&unit={school.pk}")
    assert report.status_code == 200 and report.context["budget"].unit == school
    export = client.get(reverse("finance:report_export") + f"?year=2026&unit={school.pk}")
    assert export.status_code == 200


def test_a_chair_cannot_read_another_union_s_books_by_its_id(client_for, units, budget, outsider, zhuxi):
    assert client_for(outsider).get(reverse("finance:home") + f"?unit={units['school'].pk}").status_code == 404
    assert client_for(zhuxi).get(reverse("finance:home") + f"?unit={units['county'].pk}").status_code == 404
    assert client_for(zhuxi).get(reverse("finance:home") + "?unit=x").status_code == 404
