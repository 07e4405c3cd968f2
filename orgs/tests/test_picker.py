"""The unit picker: suggestions found by name, short name or code, and a widget that shows the pick."""

import pytest
from django import forms

from orgs.models import OrgUnit, UnitKind
from orgs.picker import SUGGESTIONS, UnitPicker, suggest

pytestmark = pytest.mark.django_db


def names(found):
    return [each.unit.name for each in found]


def test_matching_finds_name_short_name_and_code_in_any_case(units):
    all_units = OrgUnit.objects.all()
    assert list(all_units.matching("教育局")) == [units["office"]]
    assert list(all_units.matching("城关中心校")) == [units["school"]]
    assert list(all_units.matching("DEMO-SCHOOL-G")) == [units["g1"], units["g2"]]


def test_suggestions_name_the_parent_and_list_the_nearest_the_top_first(units):
    below_county = OrgUnit.objects.filter(path__startswith=units["county"].path)
    found, more = suggest(below_county, "工会")
    assert names(found) == [
        "清河县总工会",
        "城关镇中心学校工会",
        "县教育局机关工会",
        "东关完小工会小组",
        "西街完小工会小组",
    ]
    assert not more
    assert found[0].parent is None and found[3].parent == units["school"]


def test_an_empty_search_offers_the_units_nearest_the_top(units):
    found, _more = suggest(OrgUnit.objects.exclude(pk=units["other"].pk), "  ")
    assert names(found)[:3] == ["清河县总工会", "城关镇中心学校工会", "县教育局机关工会"]


def test_at_most_ten_suggestions_say_there_are_more(units, django_assert_max_num_queries):
    for n in range(SUGGESTIONS + 2):
        county = OrgUnit.objects.get(pk=units["county"].pk)
        OrgUnit.objects.add_child(county, {"code": f"wl-{n}", "name": f"物流公司{n}工会", "kind": UnitKind.UNION})
    with django_assert_max_num_queries(2):
        found, more = suggest(OrgUnit.objects.all(), "物流")
    assert len(found) == SUGGESTIONS and more


class PickForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.all(), widget=UnitPicker(search_url="/units/"))


def test_the_box_shows_the_chosen_units_name_with_one_query(units, django_assert_num_queries):
    form = PickForm({"unit": units["office"].pk})
    assert form.is_valid()  # as a view does before it shows the form again
    with django_assert_num_queries(1):
        html = str(form["unit"])
    assert f'type="hidden" name="unit" value="{units["office"].pk}"' in html
    assert 'type="search" name="unit"' not in html
    assert 'id="id_unit"' in html and 'value="县教育局机关工会"' in html
    assert 'hx-get="/units/"' in html and 'aria-live="polite"' in html


def test_the_box_is_empty_when_nothing_valid_was_chosen(units):
    for value in ["", "abc", str(units["office"].pk + 1000)]:
        html = str(PickForm({"unit": value})["unit"])
        assert 'value=""' in html and "县教育局" not in html
    assert "<option" not in html
