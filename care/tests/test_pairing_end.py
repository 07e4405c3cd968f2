"""A pairing ends (the family out of hardship, the student graduated): it leaves the list of pairings and the
reminder to keep in touch, and its contacts stay on record under the ended pairings."""

import datetime

import pytest
from django.urls import reverse

from care import services
from care.figures import care_todos
from care.models import Pairing
from care.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairing(units):
    return Pairing.objects.create(
        unit=units["g1"], helper="王老师", helped="张桂芳家", started_on=TODAY - datetime.timedelta(days=400)
    )


def test_an_ended_pairing_leaves_the_list_and_the_reminders(client_for, bangfu, pairing):
    assert [t.kind for t in care_todos(bangfu, today=TODAY)] == ["care.pairing_silent"]
    client = client_for(bangfu)

    response = client.post(reverse("care:pairing_end", args=[pairing.pk]), {"ended_on": TODAY.isoformat()})

    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.ended_on == TODAY and care_todos(bangfu, today=TODAY) == []
    assert "张桂芳家" not in client.get(reverse("care:pairings")).content.decode()
    assert "张桂芳家" in client.get(reverse("care:pairings") + "?ended=1").content.decode()
    page = client.get(reverse("care:pairing_detail", args=[pairing.pk])).content.decode()
    assert "记录一次联系" not in page and "结束结对" not in page


def test_an_end_before_the_start_comes_back_on_its_field(client_for, bangfu, pairing):
    response = client_for(bangfu).post(reverse("care:pairing_end", args=[pairing.pk]), {"ended_on": "2000-01-01"})
    html = response.content.decode()
    assert response.status_code == 200 and "结束日期不能早于结对日期" in html and 'value="2000-01-01"' in html
    assert "记录一次联系" in html and "这个字段是必填项" not in html  # the contact form is not the one sent
    pairing.refresh_from_db()
    assert pairing.ended_on is None


def test_a_pairing_ends_once_and_only_by_a_care_officer(client_for, huiyuan, bangfu, pairing):
    assert (
        client_for(huiyuan).post(reverse("care:pairing_end", args=[pairing.pk]), {"ended_on": "2027-03-01"}).status_code
        == 404
    )
    services.pairing_end(pairing=pairing, on=TODAY)
    with pytest.raises(services.CareError, match="已于"):
        services.pairing_end(pairing=pairing, on=TODAY)
