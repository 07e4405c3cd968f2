"""The care roll-up a federation reads: counts and amounts per unit below, page by page."""

from django.urls import reverse


def test_the_county_reads_every_union_below_page_by_page(client_for, xianzong, crowded_county):
    client = client_for(xianzong)
    first = client.get(reverse("care:rollup")).content.decode()
    # In the tree's order: the school and the office, then the unions added after them.
    assert "第01中学工会" in first and "第48中学工会" in first and "第49中学工会" not in first
    assert "共 52 条，第 1/2 页" in first
    second = client.get(reverse("care:rollup"), {"page": 2}).content.decode()
    assert "第49中学工会" in second and "第50中学工会" in second and "第01中学工会" not in second
