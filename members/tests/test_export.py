import io

from django.urls import reverse
from openpyxl import load_workbook

from core.models import AccessLog


def sheet_rows(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_chair_exports_the_filtered_roster_unmasked_and_it_is_logged(client_for, zhuxi, make_member):
    zhang = make_member("张伟", "g1")
    make_member("李娜", "g2", gender="F")
    response = client_for(zhuxi).get(reverse("members:export"), {"gender": "M"})
    rows = sheet_rows(response)
    assert rows[0][0] == "城关镇中心学校工会会员名册"
    assert [r[0] for r in rows[2:]] == ["张伟"] and rows[2][3] == zhang.id_number
    assert AccessLog.objects.filter(user=zhuxi).count() == 1


def test_committee_member_exports_masked_and_nothing_is_logged(client_for, weiyuan, make_member):
    zhang = make_member("张伟", "g1")
    rows = sheet_rows(client_for(weiyuan).get(reverse("members:export")))
    assert rows[2][3] == zhang.id_number_masked and zhang.id_number not in str(rows)
    assert not AccessLog.objects.exists()


def test_csv_export(client_for, zhuxi, make_member):
    make_member("张伟", "g1")
    response = client_for(zhuxi).get(reverse("members:export"), {"format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv") and text.splitlines()[1].startswith("张伟,男")


def test_roles_without_export_get_404(client_for, xianzong, huiyuan, units):
    for user in (xianzong, huiyuan):
        assert client_for(user).get(reverse("members:export")).status_code == 404
