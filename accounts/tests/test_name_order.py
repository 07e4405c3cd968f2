"""Officers offered in a form are listed as a roster lists people: by pinyin, surname first."""

from django.contrib.auth import get_user_model

from care.forms import SplitForm
from care.services import officer_choices
from conftest import make_person
from democracy.forms import RoutingForm
from orgs.roles import Role


def test_logins_in_name_order_put_cheng_after_chen_and_a_login_without_a_name_by_its_username(db):
    for login, name in [("c3", "褚明"), ("c2", "程海军"), ("c1", "陈国庆"), ("c4", "陈博"), ("anon", "")]:
        make_person(login, name)
    ordered = get_user_model().objects.in_name_order()
    assert [str(u) for u in ordered] == ["anon", "陈博", "陈国庆", "程海军", "褚明"]


def test_nobody_to_order_is_an_empty_list(db):
    assert list(get_user_model().objects.none().in_name_order()) == []


def test_the_handlers_a_proposal_can_go_to_are_in_name_order(units):
    for login, name in [("h1", "程海军"), ("h2", "陈国庆"), ("h3", "曹阳")]:
        make_person(login, name, units["school"], Role.HANDLER)
    form = RoutingForm(unit=units["school"])
    assert [label for _pk, label in form.fields["handler"].choices][1:] == ["曹阳", "陈国庆", "程海军"]


def test_the_care_officers_to_share_a_campaign_among_are_in_name_order(units):
    for login, name in [("b1", "程海军"), ("b2", "陈国庆")]:
        make_person(login, name, units["school"], Role.CARE_OFFICER)
    form = SplitForm(officers=officer_choices(units["school"]))
    assert [str(label) for _pk, label in form.fields["officers"].choices] == ["陈国庆", "程海军"]
