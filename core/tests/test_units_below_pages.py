"""Every table of figures per unit below pages through all of them (core.pagination.children_page): a
county of hundreds of unions reads each, not the first few with nothing said of the rest."""

import pytest
from django.urls import reverse

PER_UNIT_TABLES = ["members:statistics", "activities:statistics", "safety:index", "care:rollup"]


@pytest.mark.parametrize("url", PER_UNIT_TABLES)
def test_the_county_reads_every_union_below_page_by_page(client_for, xianzong, crowded_county, url):
    client = client_for(xianzong)
    first = client.get(reverse(url)).content.decode()
    # In the tree's order: the school and the office, then the unions added after them.
    assert "第01中学工会" in first and "第48中学工会" in first and "第49中学工会" not in first
    assert "共 52 条，第 1/2 页" in first
    second = client.get(reverse(url), {"page": 2}).content.decode()
    assert "第49中学工会" in second and "第50中学工会" in second and "第01中学工会" not in second
