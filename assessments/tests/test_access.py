"""A unit never sees another's self-check before review: siblings never, the parent once submitted;
the ranking of a closed round is shown to the units in it."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import SelfCheck
from assessments.tests.conftest import agree_all, check_of, closed, submitted


def _status(client, url):
    return client.get(url).status_code


def test_parent_sees_a_self_check_only_once_submitted(round_, units, client_for, xianzong):
    check = check_of(round_, units["school"])
    client = client_for(xianzong)
    assert _status(client, reverse("assessments:check", args=[check.pk])) == 404
    assert _status(client, reverse("assessments:review", args=[check.pk])) == 404
    assert not SelfCheck.objects.visible_to(xianzong, "assessments.view").filter(pk=check.pk).exists()
    submitted(round_, units["school"])
    assert _status(client, reverse("assessments:review", args=[check.pk])) == 200


def test_sibling_never_sees_another_units_self_check(round_, units, client_for, bangong, xianzong):
    check = submitted(round_, units["school"])
    client = client_for(bangong)
    assert _status(client, reverse("assessments:check", args=[check.pk])) == 404
    agree_all(check, xianzong)
    assert _status(client, reverse("assessments:check", args=[check.pk])) == 404
    assert _status(client, f"/api/v1/assessments/checks/{check.pk}") == 404


def test_own_unit_sees_its_draft(round_, units, client_for, zhuxi, weiyuan):
    check = check_of(round_, units["school"])
    assert _status(client_for(zhuxi), reverse("assessments:check", args=[check.pk])) == 200
    assert _status(client_for(weiyuan), reverse("assessments:check", args=[check.pk])) == 200


def test_group_leader_and_member_are_denied(round_, units, client_for, xiaozu, huiyuan):
    check = submitted(round_, units["school"])
    for person in (xiaozu, huiyuan):
        client = client_for(person)
        assert _status(client, reverse("assessments:check", args=[check.pk])) == 404
        assert _status(client, reverse("assessments:round", args=[round_.pk])) == 404
        assert not SelfCheck.objects.visible_to(person, "assessments.view").exists()


def test_outsider_sees_nothing(round_, units, client_for, outsider):
    client = client_for(outsider)
    assert _status(client, reverse("assessments:round", args=[round_.pk])) == 404
    assert _status(client, reverse("assessments:scheme", args=[round_.scheme_id])) == 404


def test_evidence_file_is_served_only_through_the_access_rule(round_, units, client_for, zhuxi, bangong, xianzong):
    check = check_of(round_, units["school"])
    photo = SimpleUploadedFile("shuwu.png", b"\x89PNG\r\n\x1a\nfake", content_type="image/png")
    client = client_for(zhuxi)
    response = client.post(
        reverse("assessments:evidence_add", args=[check.pk]), {"text": "职工书屋照片", "file": photo}
    )
    assert response.status_code == 302
    item = check.evidence.get()
    url = reverse("assessments:evidence_file", args=[item.pk])
    assert client.get(url).status_code == 200
    assert _status(client_for(bangong), url) == 404
    assert _status(client_for(xianzong), url) == 404  # a draft's material is the unit's own
    submitted(round_, units["school"])
    assert _status(client_for(xianzong), url) == 200


def test_ranking_visible_to_units_in_a_closed_round_only(round_, units, client_for, bangong, xianzong):
    school = submitted(round_, units["school"], Decimal(20))
    agree_all(school, xianzong)
    agree_all(submitted(round_, units["office"], Decimal(5)), xianzong)
    client = client_for(bangong)
    page = client.get(reverse("assessments:round", args=[round_.pk])).content.decode()
    assert 'data-testid="ranking"' not in page  # open round: no ranking yet
    assert _status(client, reverse("assessments:ranking_xlsx", args=[round_.pk])) == 404
    closed(round_, xianzong)
    page = client.get(reverse("assessments:round", args=[round_.pk])).content.decode()
    assert 'data-testid="ranking"' in page and "城关镇中心学校工会" in page
    assert _status(client, reverse("assessments:check", args=[school.pk])) == 404  # the ranking, not the details
    assert _status(client, reverse("assessments:ranking_xlsx", args=[round_.pk])) == 200


def test_the_parent_reviews_but_does_not_fill_in(round_, units, client_for, xianzong):
    check = check_of(round_, units["school"])
    response = client_for(xianzong).post(reverse("assessments:check", args=[check.pk]), {"submit": "1"})
    assert response.status_code == 404
