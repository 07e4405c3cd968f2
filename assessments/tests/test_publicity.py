"""The result of a round is published for its 公示 before any title is conferred: five working days by
default, counted on the official calendar, in which the units taking part may object. The county
(xianzong) answers each objection; an upheld one sends the round back to review; the titles are
conferred only once the period is over with every objection answered."""

import datetime
import io
import re
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import CheckStatus, Objection, RoundStatus
from assessments.tests.conftest import TODAY, agree_all, check_of, submitted
from core.models import Notification
from core.testing import in_english, untranslated
from core.todo import todos_for

AFTER = TODAY + datetime.timedelta(days=14)  # the period of 5 working days from TODAY is over


@pytest.fixture
def reviewed(round_, units, xianzong):
    """The school at 30 points (above the minimum of 25), the office at 10 (below), both reviewed."""
    agree_all(submitted(round_, units["school"], Decimal(20)), xianzong)
    agree_all(submitted(round_, units["office"], Decimal(5)), xianzong)
    return round_


def test_publishing_ranks_and_proposes_but_confers_nothing(reviewed, units, xianzong, zhuxi):
    round_ = services.round_publicize(round=reviewed, by=xianzong, today=TODAY)
    assert round_.status == RoundStatus.PUBLICIZING
    assert round_.publicity_until == datetime.date(2026, 11, 9)  # Monday 2 November + 5 working days
    school = check_of(round_, units["school"])
    assert school.rank == 1 and school.awarded_on is None and school.expires_on is None
    told = Notification.objects.get(user=zhuxi, kind="assessments.publicized").text
    assert "第1名" in told and "公示至2026年11月9日" in told
    with pytest.raises(services.AssessmentError, match="2026年11月9日结束"):
        services.round_close(round=round_, by=xianzong, today=datetime.date(2026, 11, 9))
    assert not round_.checks.filter(awarded_on__isnull=False).exists()


def test_titles_are_conferred_on_the_day_the_result_is_confirmed(reviewed, units, xianzong):
    services.round_publicize(round=reviewed, by=xianzong, today=TODAY)
    round_ = services.round_close(round=reviewed, by=xianzong, today=AFTER)
    assert round_.status == RoundStatus.CLOSED and round_.closed_on == AFTER
    school, office = check_of(round_, units["school"]), check_of(round_, units["office"])
    assert school.awarded_on == AFTER and school.expires_on == datetime.date(2029, 11, 16)
    assert office.awarded_on is None and office.rank == 2


def test_nothing_to_publish_without_a_reviewed_check(round_, xianzong):
    with pytest.raises(services.AssessmentError, match="没有可以公示的结果"):
        services.round_publicize(round=round_, by=xianzong, today=TODAY)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


def test_an_objection_is_raised_only_within_the_period(reviewed, units, xianzong, zhuxi):
    with pytest.raises(services.AssessmentError, match="不在公示期内"):
        services.objection_raise(round=reviewed, text="分数有误", by=zhuxi, unit=units["school"], today=TODAY)
    services.round_publicize(round=reviewed, by=xianzong, today=TODAY)
    with pytest.raises(services.AssessmentError, match="异议的内容和理由"):
        services.objection_raise(round=reviewed, text="  ", by=zhuxi, unit=units["school"], today=TODAY)
    with pytest.raises(services.AssessmentError, match="不在公示期内"):
        services.objection_raise(round=reviewed, text="分数有误", by=zhuxi, unit=units["school"], today=AFTER)
    assert not Objection.objects.exists()


def test_the_county_hears_of_an_objection_and_cannot_confirm_until_it_is_answered(reviewed, units, xianzong, bangong):
    services.round_publicize(round=reviewed, by=xianzong, today=TODAY)
    school = check_of(reviewed, units["school"])
    objection = services.objection_raise(
        round=reviewed, text="职工书屋实际未开放", selfcheck=school, by=bangong, unit=units["office"], today=TODAY
    )
    assert Notification.objects.filter(user=xianzong, kind="assessments.objection").exists()
    todos = [t for t in todos_for(xianzong, today=AFTER) if t.kind.startswith("assessments.")]
    assert [t.kind for t in todos] == ["assessments.objections"] and todos[0].urgent
    with pytest.raises(services.AssessmentError, match="未答复的异议"):
        services.round_close(round=reviewed, by=xianzong, today=AFTER)

    services.objection_answer(objection=objection, answer="经核实书屋每周开放", upheld=False, by=xianzong, today=AFTER)
    assert Notification.objects.get(user=bangong, kind="assessments.objection_answered").text.endswith("异议不成立。")
    assert [t.kind for t in todos_for(xianzong, today=AFTER) if t.kind.startswith("assessments.")] == [
        "assessments.confirm"
    ]
    with pytest.raises(services.AssessmentError, match="已经答复过了"):
        services.objection_answer(objection=objection, answer="再答一次", upheld=True, by=xianzong, today=AFTER)
    services.round_close(round=reviewed, by=xianzong, today=AFTER)
    assert check_of(reviewed, units["school"]).awarded_on == AFTER


def test_an_upheld_objection_withdraws_the_result_for_review_again(reviewed, units, xianzong, zhuxi, bangong):
    services.round_publicize(round=reviewed, by=xianzong, today=TODAY)
    school = check_of(reviewed, units["school"])
    upheld = services.objection_raise(
        round=reviewed, text="书屋未开放", selfcheck=school, by=bangong, unit=units["office"], today=TODAY
    )
    other = services.objection_raise(round=reviewed, text="排名有误", by=zhuxi, unit=units["school"], today=TODAY)
    services.objection_answer(objection=upheld, answer="属实，重新审核", upheld=True, by=xianzong, today=TODAY)
    reviewed.refresh_from_db()
    assert reviewed.status == RoundStatus.OPEN and reviewed.publicity_until is None
    school.refresh_from_db()
    assert school.status == CheckStatus.SUBMITTED and school.rank is None
    assert check_of(reviewed, units["office"]).rank is None  # the whole ranking is withdrawn
    other.refresh_from_db()
    assert other.answered_on == TODAY and other.upheld is False and "另行公示" in other.answer
    # Reviewed again (the library lowered) and published anew: a new period from the new day.
    agree_all(school, xianzong)
    again = services.round_publicize(round=reviewed, by=xianzong, today=TODAY + datetime.timedelta(days=2))
    assert again.publicity_until == datetime.date(2026, 11, 11)


def test_an_upheld_objection_to_the_whole_result_sends_every_ranked_unit_back_to_review(
    reviewed, units, xianzong, zhuxi
):
    """Upheld against the result as a whole, the round used to reopen with every self-check still reviewed:
    nothing the county could correct, only the same result to publish again."""
    services.round_publicize(round=reviewed, by=xianzong, today=TODAY)
    objection = services.objection_raise(
        round=reviewed, text="评分标准前后不一", by=zhuxi, unit=units["school"], today=TODAY
    )
    services.objection_answer(objection=objection, answer="属实，全部重新审核", upheld=True, by=xianzong, today=TODAY)
    statuses = set(reviewed.checks.values_list("status", "rank"))
    assert statuses == {(CheckStatus.SUBMITTED, None)}
    with pytest.raises(services.AssessmentError, match="没有审核"):
        services.round_publicize(round=reviewed, by=xianzong, today=TODAY)


def test_a_school_objects_on_the_round_page_and_reads_the_answer(reviewed, units, client_for, xianzong, zhuxi):
    services.round_publicize(round=reviewed, by=xianzong, today=timezone.localdate())
    url = reverse("assessments:round", args=[reviewed.pk])
    client = client_for(zhuxi)
    page = client.get(url).content.decode()
    assert 'data-testid="objection-form"' in page and "拟授予：模范职工之家" in page
    office = check_of(reviewed, units["office"])
    add = reverse("assessments:objection_add", args=[reviewed.pk])
    page = client.post(add, {"selfcheck": office.pk, "text": "  "}).content.decode()
    assert "这个字段是必填项" in page
    assert 'data-testid="error-summary"' in page and not Objection.objects.exists()
    response = client.post(add, {"selfcheck": office.pk, "text": "机关工会的活动记录不全"})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.raised_unit == units["school"] and objection.raised_by == zhuxi

    county = client_for(xianzong)
    page = county.get(url).content.decode()
    assert "机关工会的活动记录不全" in page and "王建国" in page and 'data-testid="objection-answer"' in page
    answer = reverse("assessments:objection_answer", args=[objection.pk])
    prefix = f"objection-{objection.pk}"
    page = county.post(answer, {f"{prefix}-answer": "已核实", f"{prefix}-upheld": ""}).content.decode()
    assert (
        "已核实</textarea>" in page and "请选择异议是否成立" in page
    )  # refused for the missing verdict, what was typed kept
    county.post(answer, {f"{prefix}-answer": "已核实，记录齐全", f"{prefix}-upheld": "no"})
    objection.refresh_from_db()
    assert objection.upheld is False and objection.answer == "已核实，记录齐全"

    page = client_for(zhuxi).get(url).content.decode()
    assert "已核实，记录齐全" in page and "异议不成立" in page


def test_objections_are_seen_by_the_county_and_the_unit_that_raised_them_only(
    reviewed, units, client_for, xianzong, zhuxi, bangong
):
    services.round_publicize(round=reviewed, by=xianzong, today=timezone.localdate())
    services.objection_raise(
        round=reviewed, text="内部意见：分数偏高", by=zhuxi, unit=units["school"], today=timezone.localdate()
    )
    url = reverse("assessments:round", args=[reviewed.pk])
    assert "内部意见：分数偏高" not in client_for(bangong).get(url).content.decode()
    objection = Objection.objects.get()
    answer = reverse("assessments:objection_answer", args=[objection.pk])
    prefix = f"objection-{objection.pk}"
    assert client_for(zhuxi).post(answer, {f"{prefix}-answer": "自己答", f"{prefix}-upheld": "yes"}).status_code == 404
    objection.refresh_from_db()
    assert not objection.is_answered


def test_the_documents_of_the_period_say_publicity_and_proposed(reviewed, client_for, xianzong):
    services.round_publicize(round=reviewed, by=xianzong, today=TODAY)
    client = client_for(xianzong)
    response = client.get(reverse("assessments:notice_docx", args=[reviewed.pk]))
    assert "%E5%85%AC%E7%A4%BA.docx" in response["Content-Disposition"]  # …结果的公示.docx
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "关于2026年模范职工之家评选结果的公示" in text
    assert "拟授予“模范职工之家”称号的单位" in text and "城关镇中心学校工会。" in text
    assert "公示期为2026年11月2日至2026年11月9日（5个工作日）" in text
    assert "有效期" not in text
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("assessments:ranking_xlsx", args=[reviewed.pk])).content)
    ).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][4] == "拟授予：模范职工之家" and rows[0][5] is None
    assert rows[1][4] is None
    assert {sheet.cell(row=3, column=column).number_format for column in (3, 4)} == {"0.0"}  # 87.0 as on the page
    assert sheet.column_dimensions["F"].width >= 15  # 称号到期日 2029年11月16日 whole, not ######## in Excel


def test_the_ranking_names_each_unit_first_and_says_no_title_plainly(reviewed, client_for, xianzong, zhuxi):
    """On a phone each row stacks under its first cell: the unit, not a bare rank; a unit below the
    minimum score reads "—" for its title rather than an empty "称号：" line."""
    services.round_publicize(round=reviewed, by=xianzong, today=TODAY)
    page = client_for(zhuxi).get(reverse("assessments:round", args=[reviewed.pk])).content.decode()
    table = page[page.index('data-testid="ranking"') :]
    table = table[: table.index("</table>")]
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", table)
    assert headers[0] == "单位" and headers[1] == "名次"
    rows = re.findall(r"<tr><td>([^<]*)</td><td[^>]*>(\d+)</td>.*?<td>(.*?)</td></tr>", table, re.S)
    assert [(unit, rank) for unit, rank, _ in rows] == [("城关镇中心学校工会", "1"), ("县教育局机关工会", "2")]
    assert "拟授予" in rows[0][2] and rows[1][2].strip() == "—"


def test_the_round_page_during_the_period_keeps_bounded_queries(
    reviewed, units, client_for, xianzong, zhuxi, django_assert_max_num_queries
):
    services.round_publicize(round=reviewed, by=xianzong, today=timezone.localdate())
    for number in range(10):
        services.objection_raise(
            round=reviewed, text=f"异议{number}", by=zhuxi, unit=units["school"], today=timezone.localdate()
        )
    client = client_for(xianzong)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("assessments:round", args=[reviewed.pk])).content.decode()
    assert page.count('data-testid="objection-answer"') == 10


def test_the_period_reads_in_english(reviewed, units, client_for, xianzong, zhuxi):
    services.round_publicize(round=reviewed, by=xianzong, today=timezone.localdate())
    services.objection_raise(round=reviewed, text="分数", by=zhuxi, unit=units["school"], today=timezone.localdate())
    names = ("2026年模范职工之家评选", "模范职工之家考核标准", "模范职工之家", "清河县总工会", "城关镇中心学校工会")
    names += ("县教育局机关工会", "城关中心校", "县总工会", "王建国", "陈志强", "分数")
    for person, urls in (
        (zhuxi, ["assessments:round"]),
        (xianzong, ["assessments:round", "assessments:round_close"]),
    ):
        client = in_english(client_for(person))
        for name in urls:
            page = client.get(reverse(name, args=[reviewed.pk])).content.decode()
            for data in names:
                page = page.replace(data, "")
            assert untranslated(page) == [], name


def test_the_county_puts_the_deadline_off_and_invites_one_more_unit(round_, units, client_for, xianzong, zhuxi):
    from orgs.models import OrgUnit, UnitKind

    hospital = OrgUnit.objects.add_child(units["county"], {"code": "h", "name": "县医院工会", "kind": UnitKind.UNION})
    submitted(round_, units["office"])
    url = reverse("assessments:round_edit", args=[round_.pk])
    client = client_for(xianzong)
    page = client.get(url).content.decode()
    assert "已邀请：城关镇中心学校工会、县教育局机关工会（不能取消）" in page and "县医院工会" in page
    later = timezone.localdate() + datetime.timedelta(days=30)
    terms = {
        "title": round_.title,
        "year": "2026",
        "deadline": later.isoformat(),
        "award_title": round_.award_title,
        "award_years": "3",
        "award_min_score": "150",
        "publicity_workdays": "5",
        "invited": [hospital.pk],
    }
    page = client.post(url, terms).content.decode()
    assert "最低得分不能高于考核方案的总分40.0分" in page and later.isoformat() in page  # kept as typed
    round_.refresh_from_db()
    assert round_.deadline != later and not round_.checks.filter(unit=hospital).exists()
    assert client.post(url, {**terms, "award_min_score": "25"}).status_code == 302
    round_.refresh_from_db()
    assert round_.deadline == later and round_.checks.filter(unit=hospital).exists()
    assert set(round_.invited.values_list("code", flat=True)) == {"demo-school", "demo-office", "h"}
    moved = Notification.objects.filter(kind="assessments.deadline_moved")
    assert [n.user for n in moved] == [zhuxi]  # the office has submitted; the hospital is invited anew


def test_a_round_under_publicity_is_not_edited(reviewed, client_for, xianzong):
    services.round_publicize(round=reviewed, by=xianzong, today=timezone.localdate())
    assert client_for(xianzong).get(reverse("assessments:round_edit", args=[reviewed.pk])).status_code == 404
    terms = {name: getattr(reviewed, name) for name in services.ROUND_TERMS}
    with pytest.raises(services.AssessmentError, match="不能再修改"):
        services.round_update(round=reviewed, **{**terms, "title": "改名"})


def test_only_the_organizer_edits_a_round(round_, client_for, zhuxi):
    assert client_for(zhuxi).get(reverse("assessments:round_edit", args=[round_.pk])).status_code == 404


def test_each_objection_is_answered_beside_its_own_text(reviewed, units, client_for, xianzong, zhuxi, bangong):
    """Two answer forms under one heading, away from the texts, were answered the wrong way round."""
    services.round_publicize(round=reviewed, by=xianzong, today=timezone.localdate())
    first = services.objection_raise(
        round=reviewed, text="书屋未开放", by=zhuxi, unit=units["school"], today=timezone.localdate()
    )
    second = services.objection_raise(
        round=reviewed, text="活动记录不全", by=bangong, unit=units["office"], today=timezone.localdate()
    )
    page = client_for(xianzong).get(reverse("assessments:round", args=[reviewed.pk])).content.decode()
    blocks = page.split('data-testid="objection"')[1:]
    assert len(blocks) == 2
    for block, objection in zip(blocks, (first, second), strict=True):
        assert objection.text in block
        assert reverse("assessments:objection_answer", args=[objection.pk]) in block


def test_publishing_before_the_deadline_warns_of_the_units_still_drafting(round_, units, client_for, xianzong):
    agree_all(submitted(round_, units["school"], Decimal(20)), xianzong)  # the office is still drafting
    round_.deadline = timezone.localdate() + datetime.timedelta(days=5)
    round_.save()
    page = client_for(xianzong).get(reverse("assessments:round_close", args=[round_.pk])).content.decode()
    assert 'data-testid="before-deadline"' in page and "还有1个单位没有提交自评" in page


def test_the_publish_page_counts_the_reviewed_units_in_english_too(round_, units, xianzong, client_for):
    """公示 with one reviewed unit read "the 1 reviewed units are ranked" in English."""
    agree_all(submitted(round_, units["school"], Decimal(20)), xianzong)
    client = in_english(client_for(xianzong))
    html = client.get(reverse("assessments:round_close", args=[round_.pk])).content.decode()
    assert "the 1 reviewed unit is ranked by score" in html
    agree_all(submitted(round_, units["office"], Decimal(5)), xianzong)
    html = client.get(reverse("assessments:round_close", args=[round_.pk])).content.decode()
    assert "the 2 reviewed units are ranked by score" in html
