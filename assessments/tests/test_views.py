"""The pages: a scheme in one click, a self-check filled in and submitted, a review, the ranking's
files, bounded queries for a round of 50 units, and the English pages."""

import datetime
import io
import re
from decimal import Decimal

import docx
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH

from assessments import figures, services
from assessments.models import CheckStatus, Criterion, Round, Scheme, Visit
from assessments.tests.conftest import TODAY, agree_all, check_of, closed, submitted
from core.testing import in_english, untranslated
from orgs.models import OrgUnit, UnitKind


def test_county_loads_a_template_into_a_new_scheme_in_one_click(units, client_for, xianzong):
    response = client_for(xianzong).post(reverse("assessments:scheme_create"), {"template": "six_haves"})
    scheme = Scheme.objects.get(unit=units["county"])
    assert response.status_code == 302 and response.url == reverse("assessments:scheme", args=[scheme.pk])
    assert [c.group for c in scheme.criteria.all()] == ["有牌子", "有班子", "有场所", "有制度", "有活动", "有档案"]
    page = client_for(xianzong).get(response.url).content.decode()
    assert "满分60分" in page and "发起评比" in page


def test_committee_member_cannot_define_schemes(units, client_for, weiyuan):
    assert client_for(weiyuan).post(reverse("assessments:scheme_create"), {"template": "six_haves"}).status_code == 403
    assert not Scheme.objects.exists()


def test_a_metric_rule_needs_its_threshold(scheme, client_for, xianzong):
    url = reverse("assessments:scheme", args=[scheme.pk])
    data = {"group": "组织建设", "title": "入会率", "points": "10", "rule": "members.membership_rate", "order": "4"}
    page = client_for(xianzong).post(url, data).content.decode()
    assert "这条规则需要达标值" in page and 'value="入会率"' in page
    client_for(xianzong).post(url, {**data, "threshold": "95"})
    criterion = Criterion.objects.get(title="入会率")
    assert criterion.metric == "members.membership_rate" and criterion.threshold == 95


def test_chair_fills_in_and_submits_the_self_check(round_, units, client_for, zhuxi):
    check = check_of(round_, units["school"])
    client = client_for(zhuxi)
    url = reverse("assessments:check", args=[check.pk])
    page = client.get(url).content.decode()
    assert "按系统记录评分" in page and "没有2026年工作计划" in page
    ids = {c.title: c.pk for c in round_.scheme.criteria.all()}
    response = client.post(url, {f"score_{ids['委员分工明确']}": "abc", "summary": "自查"})
    assert "应是数字" in response.content.decode() and 'value="abc"' in response.content.decode()
    for not_a_score in ("NaN", "Infinity", "-Inf"):
        response = client.post(url, {f"score_{ids['委员分工明确']}": not_a_score, "summary": "自查"})
        assert "应是数字" in response.content.decode()
    long_note = "文" * 2001
    response = client.post(url, {f"score_{ids['委员分工明确']}": "9", f"note_{ids['委员分工明确']}": long_note})
    assert "的说明不能超过2000字" in response.content.decode() and long_note in response.content.decode()
    response = client.post(url, {f"score_{ids['委员分工明确']}": "9", "summary": "总" * 5001})
    assert "自评说明不能超过5000字" in response.content.decode()
    check.refresh_from_db()
    assert not check.scores.exclude(claimed=None).exists() and check.summary == ""  # nothing half-saved
    client.post(
        url, {f"score_{ids['委员分工明确']}": "9", f"note_{ids['委员分工明确']}": "分工文件已印发", "save": "1"}
    )
    response = client.post(url, {f"score_{ids['委员分工明确']}": "9", "submit": "1"})
    assert "有职工书屋" in response.content.decode()  # the missing score is named
    response = client.post(
        url, {f"score_{ids['委员分工明确']}": "9", f"score_{ids['有职工书屋']}": "18", "submit": "1"}
    )
    check.refresh_from_db()
    assert response.status_code == 302 and check.status == CheckStatus.SUBMITTED and check.self_total == 27


def test_reviewer_must_give_a_reason_and_keeps_what_was_typed(round_, units, client_for, xianzong):
    check = submitted(round_, units["school"])
    ids = {c.title: c.pk for c in round_.scheme.criteria.all()}
    client = client_for(xianzong)
    url = reverse("assessments:review", args=[check.pk])
    response = client.post(url, {f"decision_{ids['有职工书屋']}": "adjust", f"score_{ids['有职工书屋']}": "6"})
    page = response.content.decode()
    assert "请写明理由" in page and 'value="6"' in page
    long_reason = "藏" * 301
    data = {f"decision_{ids['有职工书屋']}": "adjust", f"score_{ids['有职工书屋']}": "6"}
    page = client.post(url, {**data, f"reason_{ids['有职工书屋']}": long_reason}).content.decode()
    assert "调整理由不能超过300字" in page and long_reason in page  # refused whole, not cut to 300
    page = client.post(url, {**data, f"score_{ids['有职工书屋']}": "NaN", "reason": "x"}).content.decode()
    assert "应是数字" in page
    response = client.post(
        url,
        {
            f"decision_{ids['有职工书屋']}": "adjust",
            f"score_{ids['有职工书屋']}": "6",
            f"reason_{ids['有职工书屋']}": "藏书不足",
        },
    )
    check.refresh_from_db()
    assert response.status_code == 302 and check.status == CheckStatus.REVIEWED and check.total == 16


def test_reviewer_records_a_site_visit(round_, units, client_for, xianzong):
    check = submitted(round_, units["school"])
    client_for(xianzong).post(
        reverse("assessments:visit_add", args=[check.pk]),
        {"visited_on": TODAY.isoformat(), "visitors": "陈志强", "notes": "查看职工书屋"},
    )
    assert check.visits.get().visitors == "陈志强"


def test_the_site_visit_form_offers_today(round_, units, client_for, xianzong):
    check = submitted(round_, units["school"])
    page = client_for(xianzong).get(reverse("assessments:review", args=[check.pk])).content.decode()
    assert f'name="visited_on" value="{timezone.localdate().isoformat()}"' in page


def test_a_site_visit_with_a_mistake_comes_back_with_its_notes(round_, units, client_for, xianzong):
    check = submitted(round_, units["school"])
    notes = "查看职工书屋、活动室，台账齐全，书屋借阅记录完整。"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)  # a visit not yet made
    response = client_for(xianzong).post(
        reverse("assessments:visit_add", args=[check.pk]),
        {"visited_on": tomorrow.isoformat(), "visitors": "陈志强", "notes": notes},
    )
    page = response.content.decode()
    assert response.status_code == 200 and notes in page and 'value="陈志强"' in page and "is-invalid" in page
    assert not check.visits.exists()


def test_evidence_of_a_kind_not_taken_comes_back_with_its_description(round_, units, client_for, zhuxi):
    check = check_of(round_, units["school"])
    text = "2026年度职工书屋借阅登记表，共借阅312人次。"
    program = SimpleUploadedFile("jieyue.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_for(zhuxi).post(
        reverse("assessments:evidence_add", args=[check.pk]), {"text": text, "file": program}
    )
    page = response.content.decode()
    assert response.status_code == 200 and text in page and "只能上传照片" in page
    assert 'action="{}#evidence-form"'.format(reverse("assessments:evidence_add", args=[check.pk])) in page
    assert not check.evidence.exists()
    # A page renamed to a Word file: taken by its name, refused by its bytes.
    page_as_word = SimpleUploadedFile("台账.docx", b"<html><script>alert(1)</script>")
    response = client_for(zhuxi).post(
        reverse("assessments:evidence_add", args=[check.pk]), {"text": text, "file": page_as_word}
    )
    assert "不是它的文件名所说的文件" in response.content.decode() and not check.evidence.exists()


def test_a_refused_evidence_asks_for_its_file_again_by_name(round_, units, client_for, zhuxi):
    """The browser drops the chosen file when the form comes back: the chair is told beside its box, by
    the file's name, rather than adding the description alone unaware."""
    check = check_of(round_, units["school"])
    text = "职工书屋开放时间表及照片。"
    photo = SimpleUploadedFile("shuwu.png", b"\x89PNG\r\n\x1a\nfake", content_type="image/png")
    response = client_for(zhuxi).post(
        reverse("assessments:evidence_add", args=[check.pk]), {"criterion": "999999", "text": text, "file": photo}
    )
    page = response.content.decode()
    assert response.status_code == 200 and text in page and "is-invalid" in page
    assert "请重新选择文件“shuwu.png”" in page
    assert not check.evidence.exists()


def test_a_draft_left_in_a_closed_round_offers_nothing_to_fill_in(round_, units, client_for, xianzong, bangong):
    draft = check_of(round_, units["office"])
    client = client_for(bangong)
    url = reverse("assessments:check", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "提交上级审核" in page and reverse("assessments:evidence_add", args=[draft.pk]) in page
    agree_all(submitted(round_, units["school"]), xianzong)
    closed(round_, xianzong)
    page = client.get(url).content.decode()
    assert "提交上级审核" not in page and reverse("assessments:evidence_add", args=[draft.pk]) not in page
    criterion = round_.scheme.criteria.get(title="委员分工明确")
    answer = client.post(url, {f"score_{criterion.pk}": "9", "save": "1"})
    assert "本次考核评比已经结束。" in answer.content.decode()
    answer = client.post(reverse("assessments:evidence_add", args=[draft.pk]), {"text": "书屋照片"}, follow=True)
    assert "本次考核评比已经结束。" in answer.content.decode()
    assert not draft.scores.exclude(claimed=None).exists() and not draft.evidence.exists()


def test_a_visit_from_a_review_page_read_before_the_review_was_done_is_refused(round_, units, client_for, xianzong):
    check = submitted(round_, units["school"])
    agree_all(check, xianzong)
    answer = client_for(xianzong).post(
        reverse("assessments:visit_add", args=[check.pk]),
        {"visited_on": TODAY.isoformat(), "visitors": "陈志强", "notes": "查看职工书屋"},
        follow=True,
    )
    assert "自评已经审核，不能再登记实地检查。" in answer.content.decode()
    assert not check.visits.exists()


def test_a_visit_at_half_past_seven_in_the_morning_is_on_today(round_, units, client_for, xianzong, monkeypatch):
    """07:30 in Beijing is still yesterday on a server clock set to UTC: the form reads the site's date."""
    import datetime

    from django.utils import timezone

    check = submitted(round_, units["school"])
    morning = datetime.datetime(2031, 6, 1, 23, 30, tzinfo=datetime.UTC)  # 2 June 2031, 07:30 in Beijing
    monkeypatch.setattr(timezone, "now", lambda: morning)
    response = client_for(xianzong).post(
        reverse("assessments:visit_add", args=[check.pk]),
        {"visited_on": "2031-06-02", "visitors": "陈志强", "notes": "查看职工书屋"},
    )
    assert "检查日期不能晚于今天" not in response.content.decode()
    assert check.visits.get().visited_on == datetime.date(2031, 6, 2)


def _closed(round_, units, xianzong):
    agree_all(submitted(round_, units["school"], Decimal(20)), xianzong)
    agree_all(submitted(round_, units["office"], Decimal(5)), xianzong)
    closed(round_, xianzong)


def test_a_title_conferred_says_until_when_in_both_languages(round_, units, client_for, xianzong):
    _closed(round_, units, xianzong)
    url = reverse("assessments:round", args=[round_.pk])
    assert "至2029年11月2日</span>" in client_for(xianzong).get(url).content.decode()
    assert "until Nov. 2, 2029</span>" in in_english(client_for(xianzong)).get(url).content.decode()


def test_ranking_xlsx_and_notice_docx(round_, units, client_for, xianzong):
    _closed(round_, units, xianzong)
    client = client_for(xianzong)
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("assessments:ranking_xlsx", args=[round_.pk])).content)
    ).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][:4] == [1, "城关镇中心学校工会", 30, 30] and rows[0][4] == "模范职工之家"
    assert rows[1][0] == 2 and rows[1][4] is None
    document = docx.Document(io.BytesIO(client.get(reverse("assessments:notice_docx", args=[round_.pk])).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        "关于2026年模范职工之家评选结果的通报" in text
        and "城关镇中心学校工会。称号有效期3年，至2029年11月2日止" in text
    )


def _fifty_units(round_, units):
    made = []
    for number in range(50):
        made.append(
            OrgUnit.objects.add_child(
                units["county"], {"code": f"u{number}", "name": f"第{number}工会", "kind": UnitKind.UNION}
            )
        )
    for unit in made:
        services.selfcheck_start(round=round_, unit=unit)
        submitted(round_, unit)
    return made


def test_round_pages_keep_to_bounded_queries_with_fifty_units(
    round_, units, client_for, xianzong, django_assert_max_num_queries
):
    made = _fifty_units(round_, units)
    for unit in made[:25]:
        agree_all(check_of(round_, unit), xianzong)
    client = client_for(xianzong)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("assessments:round", args=[round_.pk])).content.decode()
    assert "第49工会" in page
    with django_assert_max_num_queries(25):
        client.get(reverse("assessments:index"))
    with django_assert_max_num_queries(25):
        client.get(reverse("assessments:review", args=[check_of(round_, made[0]).pk]))
    with django_assert_max_num_queries(25):
        client.get("/api/v1/assessments/checks?limit=100")
    request = RequestFactory().get("/")
    request.user = xianzong
    with django_assert_max_num_queries(4):
        [card] = figures.assessment_cards(request, units["county"])
    assert card.value == "25/50"
    for unit in made[25:]:
        agree_all(check_of(round_, unit), xianzong)
    closed(round_, xianzong)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("assessments:round", args=[round_.pk])).content.decode()
    assert 'data-testid="ranking"' in page and page.count("第49工会") == 2  # ranking and table
    with django_assert_max_num_queries(25):
        client.get(reverse("assessments:ranking_xlsx", args=[round_.pk]))


def test_to_dos_keep_to_bounded_queries(round_, units, xianzong, django_assert_max_num_queries):
    from core.todo import todos_for

    _fifty_units(round_, units)
    with django_assert_max_num_queries(30):
        todos_for(xianzong, today=TODAY)


def test_english_pages(units, client_for, xianzong, zhuxi):
    county, school = units["county"], units["school"]
    OrgUnit.objects.filter(pk=county.pk).update(name="Qinghe County Federation", short_name="County")
    OrgUnit.objects.filter(pk=school.pk).update(name="Central School Union", short_name="School")
    OrgUnit.objects.filter(pk=units["office"].pk).update(name="Education Bureau Union")
    for person, name in ((xianzong, "Chen"), (zhuxi, "Wang")):
        person.full_name = name
        person.save()
    scheme = Scheme.objects.create(unit=county, title="Model Staff Home")
    Criterion.objects.create(scheme=scheme, order=1, group="Organization", title="Committee", points=10)
    Criterion.objects.create(
        scheme=scheme, order=2, group="Organization", title="Plan", points=10, rule="plans.published"
    )
    round_ = services.round_open(
        scheme=scheme,
        unit=county,
        year=2026,
        title="Model Staff Home 2026",
        deadline=TODAY,
        award_title="Model",
        award_years=3,
        award_min_score=Decimal(5),
        invited=[school],
    )
    check = check_of(round_, school)
    client = in_english(client_for(zhuxi))
    for url in (
        reverse("assessments:index"),
        reverse("assessments:check", args=[check.pk]),
        reverse("assessments:titles"),
    ):
        assert untranslated(client.get(url).content.decode()) == [], url
    submitted(round_, school)
    # What the rules found is frozen at submission in the site's language, as written for the county:
    # a record, like the names in it, not a string of the page.
    frozen = check.scores.get(criterion__rule="plans.published").rule_value
    assert frozen == "没有2026年工作计划"
    spare = Scheme.objects.create(unit=county, title="Spare")
    unused = Criterion.objects.create(scheme=spare, group="Premises", title="Library", points=5)
    client = in_english(client_for(xianzong))
    for url in (
        reverse("assessments:index"),
        reverse("assessments:scheme", args=[scheme.pk]),
        reverse("assessments:scheme_create"),
        reverse("assessments:round", args=[round_.pk]),
        reverse("assessments:review", args=[check.pk]),
        reverse("assessments:round_close", args=[round_.pk]),
        reverse("assessments:round_edit", args=[round_.pk]),
        reverse("assessments:round_create", args=[scheme.pk]),
        reverse("assessments:criterion_edit", args=[unused.pk]),
        reverse("assessments:criterion_delete", args=[unused.pk]),
    ):
        assert untranslated(client.get(url).content.decode().replace(frozen, "")) == [], url


def test_criteria_are_fixed_once_a_round_uses_the_scheme(round_, client_for, xianzong):
    url = reverse("assessments:scheme", args=[round_.scheme_id])
    page = client_for(xianzong).get(url).content.decode()
    assert "细则不再修改" in page and "添加考核细则" not in page
    response = client_for(xianzong).post(url, {"group": "组织建设", "title": "新增", "points": "5", "order": "9"})
    assert response.status_code == 404 and not Criterion.objects.filter(title="新增").exists()
    criterion = round_.scheme.criteria.first()
    assert client_for(xianzong).get(reverse("assessments:criterion_edit", args=[criterion.pk])).status_code == 404


def test_api_reads_the_ranking_and_own_self_check(round_, units, client_for, xianzong, zhuxi):
    _closed(round_, units, xianzong)
    ranking = client_for(zhuxi).get(f"/api/v1/assessments/rounds/{round_.pk}/ranking").json()
    assert [(r["unit_name"], r["rank"]) for r in ranking["items"]] == [
        ("城关镇中心学校工会", 1),
        ("县教育局机关工会", 2),
    ]
    own = check_of(round_, units["school"])
    detail = client_for(zhuxi).get(f"/api/v1/assessments/checks/{own.pk}").json()
    assert detail["total"] == "30.0" or float(detail["total"]) == 30
    assert {s["title"] for s in detail["scores"]} == {"委员分工明确", "有职工书屋", "年度计划已发布"}


def test_summary_section_and_titles_page(round_, units, client_for, xianzong, zhuxi):
    _closed(round_, units, xianzong)
    section = figures.year_summary(units["school"], 2026)
    assert "城关镇中心学校工会被评为“模范职工之家”（30.0分）" in section.paragraphs[0]
    assert "本级组织考核评比1次" in figures.year_summary(units["county"], 2026).paragraphs[-1]
    assert figures.year_summary(units["school"], 2025) is None
    page = client_for(zhuxi).get(reverse("assessments:titles")).content.decode()
    assert "模范职工之家" in page and "2029年11月2日" in page
    # On a phone each title stacks under its unit, every date named; in English the page is the titles held.
    assert 'class="table table-sm mb-0 table-responsive-stack" data-testid="titles"' in page
    page = in_english(client_for(zhuxi)).get(reverse("assessments:titles")).content.decode()
    assert "<h1>Titles awarded</h1>" in page


def test_deadline_on_the_calendar_of_the_units_taking_part(round_, units, zhuxi, outsider):
    from core.figures import calendar_entries

    day = round_.deadline
    entries = [e for e in calendar_entries(zhuxi, units["school"], day, day) if e.kind == "assessments"]
    assert [e.title for e in entries] == ["自评截止：2026年模范职工之家评选"]
    assert not [e for e in calendar_entries(outsider, units["other"], day, day) if e.kind == "assessments"]


def test_county_adapts_a_template_criterion(units, client_for, xianzong):
    scheme = services.scheme_from_template(unit=units["county"], key="staff_home")
    criterion = scheme.criteria.get(rule="members.membership_rate")
    url = reverse("assessments:criterion_edit", args=[criterion.pk])
    client = client_for(xianzong)
    assert 'value="95.00"' in client.get(url).content.decode()
    data = {
        "group": criterion.group,
        "title": "职工入会率达到98%以上",
        "points": "10",
        "evidence": criterion.evidence,
        "rule": "members.membership_rate",
        "threshold": "98",
        "order": "2",
    }
    assert client.post(url, data).status_code == 302
    criterion.refresh_from_db()
    assert criterion.threshold == 98 and criterion.title == "职工入会率达到98%以上"


# --- walk three: forms that post where they say, what was typed kept, a round's terms, final steps ---


def _form_tags(page):
    return re.findall(r"<form\b[^>]*>", page)


def test_after_an_evidence_error_the_scores_still_go_to_the_self_check(round_, units, client_for, zhuxi):
    check = check_of(round_, units["school"])
    client = client_for(zhuxi)
    page = client.post(reverse("assessments:evidence_add", args=[check.pk]), {"text": ""}).content.decode()
    assert "请填写文字说明或选择文件" in page  # the page is shown again at the evidence URL
    forms = _form_tags(page)
    assert all("action=" in tag for tag in forms), forms
    check_url = reverse("assessments:check", args=[check.pk])
    evidence_url = reverse("assessments:evidence_add", args=[check.pk])
    assert f'<form method="post" action="{check_url}">' in forms
    assert any(f'action="{evidence_url}#evidence-form"' in tag for tag in forms)
    criterion = round_.scheme.criteria.get(title="委员分工明确")
    response = client.post(check_url, {f"score_{criterion.pk}": "9", "summary": "书屋已建成", "save": "1"})
    check.refresh_from_db()
    assert response.status_code == 302 and check.summary == "书屋已建成"
    assert check.scores.get(criterion=criterion).claimed == 9


def test_after_a_visit_error_the_review_still_goes_to_the_review(round_, units, client_for, xianzong):
    check = submitted(round_, units["school"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = (
        client_for(xianzong)
        .post(
            reverse("assessments:visit_add", args=[check.pk]),
            {"visited_on": tomorrow.isoformat(), "visitors": "陈志强", "notes": "查看职工书屋"},
        )
        .content.decode()
    )
    assert "检查日期不能晚于今天" in page
    forms = _form_tags(page)
    assert all("action=" in tag for tag in forms), forms
    assert f'<form method="post" action="{reverse("assessments:review", args=[check.pk])}">' in forms
    assert any(f'action="{reverse("assessments:visit_add", args=[check.pk])}#visit"' in tag for tag in forms)


def test_a_refused_score_keeps_the_summary_typed(round_, units, client_for, zhuxi):
    check = check_of(round_, units["school"])
    check.summary = "上次保存的说明"
    check.save()
    criterion = round_.scheme.criteria.get(title="委员分工明确")
    url = reverse("assessments:check", args=[check.pk])
    for score, refusal in (("九", "应是数字"), ("15", "应在0到10.0分之间")):
        page = client_for(zhuxi).post(url, {f"score_{criterion.pk}": score, "summary": "新写的说明"}).content.decode()
        assert refusal in page and ">新写的说明</textarea>" in page and "上次保存的说明" not in page
    page = client_for(zhuxi).get(url).content.decode()
    assert ">上次保存的说明</textarea>" in page


def _round_terms(**given):
    return {
        "title": "2026年模范职工之家评选",
        "year": "2026",
        "deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "award_title": "模范职工之家",
        "award_years": "3",
        "award_min_score": "30",
        "publicity_workdays": "5",
        **given,
    }


def test_a_round_with_impossible_terms_is_refused_on_its_fields(scheme, client_for, xianzong):
    url = reverse("assessments:round_create", args=[scheme.pk])
    bad = {
        "year": "20266",
        "deadline": "2020-01-01",
        "award_min_score": "150",
        "award_years": "2026",
        "publicity_workdays": "0",
    }
    response = client_for(xianzong).post(url, _round_terms(**bad))
    page = response.content.decode()
    assert response.status_code == 200 and not Round.objects.exists()
    assert "自评截止日期不能早于今天" in page
    assert "最低得分不能高于考核方案的总分40.0分" in page  # the scheme's three lines: 10 + 20 + 10
    assert f"年度应在2000到{timezone.localdate().year + 1}年之间" in page
    assert "称号有效期应为1到10年" in page
    assert "公示期应为1到30个工作日" in page
    assert page.count("invalid-feedback") == 5
    page = client_for(xianzong).post(url, _round_terms(award_min_score="-1")).content.decode()
    assert "最低得分不能小于0" in page and not Round.objects.exists()
    response = client_for(xianzong).post(url, _round_terms(award_min_score="40"))
    assert response.status_code == 302 and Round.objects.get().award_min_score == 40


def test_submitting_and_completing_a_review_ask_first(round_, units, client_for, zhuxi, xianzong):
    check = check_of(round_, units["school"])
    page = client_for(zhuxi).get(reverse("assessments:check", args=[check.pk])).content.decode()
    [submit] = re.findall(r'<button[^>]*name="submit"[^>]*>', page)
    assert 'data-confirm="提交后不能再修改自评分和材料，也不能撤回。确定提交上级审核吗？"' in submit
    [save] = re.findall(r'<button[^>]*name="save"[^>]*>', page)
    assert "data-confirm" not in save  # saving a draft is not final
    submitted(round_, units["school"])
    page = client_for(xianzong).get(reverse("assessments:review", args=[check.pk])).content.decode()
    [done] = [tag for tag in re.findall(r"<button[^>]*>[^<]*", page) if tag.endswith("完成审核")]
    assert 'data-confirm="完成后审核结果即通知该单位，不能再修改。确定完成审核吗？"' in done


def _notice_text(client, round_):
    document = docx.Document(io.BytesIO(client.get(reverse("assessments:notice_docx", args=[round_.pk])).content))
    return "\n".join(p.text for p in document.paragraphs)


def test_the_notice_names_a_site_inspection_only_where_one_was_made(round_, units, client_for, xianzong):
    school = submitted(round_, units["school"], Decimal(20))
    office = submitted(round_, units["office"], Decimal(5))
    services.visit_add(check=school, visited_on=TODAY, visitors="陈志强", notes="查看职工书屋")
    agree_all(school, xianzong)
    agree_all(office, xianzong)
    closed(round_, xianzong)
    client = client_for(xianzong)
    text = _notice_text(client, round_)
    assert "经各单位自评、清河县总工会审核，并对城关镇中心学校工会进行实地检查，共有2个单位参加评比" in text
    # the office had none: it is not named
    assert "县教育局机关工会进行实地检查" not in text and "审核和实地检查" not in text
    office.visits.create(unit=units["office"], visited_on=TODAY, visitors="陈志强", notes="查看活动室")
    assert "经各单位自评、清河县总工会审核和实地检查，共有2个单位" in _notice_text(client, round_)
    Visit.objects.all().delete()
    text = _notice_text(client, round_)
    assert "经各单位自评、清河县总工会审核，共有2个单位参加评比" in text and "实地检查" not in text


def test_the_reviewer_reads_a_rule_scored_line_as_the_systems_score_not_the_units(units, client_for, xianzong):
    """A line the system scored from its records read "自评 0.0 / 10" on the review page: as if the school had
    given itself 0. It reads as the school's own page says it."""
    county, school = units["county"], units["school"]
    scheme = Scheme.objects.create(unit=county, title="模范职工之家")
    Criterion.objects.create(scheme=scheme, order=1, group="组织建设", title="工会委员会", points=10)
    Criterion.objects.create(
        scheme=scheme, order=2, group="组织建设", title="工作计划", points=10, rule="plans.published"
    )
    round_ = services.round_open(
        scheme=scheme,
        unit=county,
        year=2026,
        title="2026年模范职工之家",
        deadline=TODAY,
        award_title="模范职工之家",
        award_years=3,
        award_min_score=Decimal(5),
        invited=[school],
    )
    submitted(round_, school)
    page = client_for(xianzong).get(reverse("assessments:review", args=[check_of(round_, school).pk])).content.decode()
    labels = re.findall(r'data-testid="claimed">(\S+) <strong>', page)
    assert labels == ["自评", "按系统记录评分"]


def test_the_notices_scores_table_fits_the_page_with_its_figures_right_aligned(round_, units, client_for, xianzong):
    _closed(round_, units, xianzong)
    response = client_for(xianzong).get(reverse("assessments:notice_docx", args=[round_.pk]))
    [table] = docx.Document(io.BytesIO(response.content)).tables
    assert [round(column.width.mm) for column in table.columns] == [20, 106, 30]
    first = table.rows[1].cells
    assert [cell.text for cell in first] == ["1", "城关镇中心学校工会", "30.0"]
    assert [first[0].paragraphs[0].alignment, first[2].paragraphs[0].alignment] == [WD_ALIGN_PARAGRAPH.RIGHT] * 2
