"""Summaries after the event: photos resized and turned upright, submitted up, accepted or returned."""

import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities.models import Status, Summary, SummaryStatus
from activities.services import (
    ActivityError,
    summary_photo_delete,
    summary_review,
    summary_save,
    summary_submit,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def group_activity(make_activity, units):
    return make_activity(
        unit=units["g1"],
        title="东关完小三八趣味活动",
        status=Status.HELD,
        starts_at=timezone.now() - datetime.timedelta(days=2),
    )


def photo(width=4000, height=3000, orientation=None, name="IMG_0001.jpg"):
    image = Image.new("RGB", (width, height), "red")
    out = io.BytesIO()
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_photos_are_resized_and_turned_upright(group_activity, xiaozu):
    # Orientation 6: the camera was held upright, the pixels lie on their side.
    summary = summary_save(activity=group_activity, text="活动顺利举行。", photos=[photo(orientation=6)], by=xiaozu)
    stored = summary.photos.get()
    assert (stored.width, stored.height) == (1200, 1600)
    with Image.open(stored.image.path) as image:
        assert image.size == (1200, 1600) and image.format == "JPEG"
        assert 0x0112 not in image.getexif()


def test_a_file_that_is_not_an_image_is_named_in_the_error(group_activity, xiaozu):
    fake = SimpleUploadedFile("名单.xlsx", b"PK\x03\x04 not an image", content_type="image/jpeg")
    with pytest.raises(ActivityError, match="“名单.xlsx”不是可识别的图片文件"):
        summary_save(activity=group_activity, text="总结", photos=[fake], by=xiaozu)
    assert not Summary.objects.exists()


def test_group_submits_and_the_school_returns_with_a_comment(client_for, group_activity, xiaozu, zhuxi):
    client = client_for(xiaozu)
    client.post(
        reverse("activities:summary", args=[group_activity.pk]),
        {"text": "全组 18 人参加。", "photos": [photo(800, 600)], "submit": "1"},
    )
    summary = Summary.objects.get(activity=group_activity)
    assert summary.status == SummaryStatus.SUBMITTED and summary.photos.count() == 1

    school = client_for(zhuxi)
    response = school.post(
        reverse("activities:review", args=[group_activity.pk]), {"decision": "return", "comment": ""}, follow=True
    )
    assert "退回时请写明需要修改的地方" in response.content.decode()
    school.post(
        reverse("activities:review", args=[group_activity.pk]), {"decision": "return", "comment": "请补充活动照片说明"}
    )
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.RETURNED and summary.reviewed_by == zhuxi
    told = xiaozu.notifications.get(kind="activities.summary.returned")
    assert told.text == "“东关完小三八趣味活动的活动总结”被退回：请补充活动照片说明"


def test_the_group_revises_a_returned_summary_and_it_is_accepted(group_activity, xiaozu, zhuxi):
    summary = summary_submit(summary=summary_save(activity=group_activity, text="初稿", by=xiaozu), by=xiaozu)
    with pytest.raises(ActivityError, match="审阅前不能修改"):
        summary_save(activity=group_activity, text="改", by=xiaozu)
    summary_review(summary=summary, by=zhuxi, accept=False, comment="补充人数")
    summary_save(activity=group_activity, text="终稿：18 人参加", by=xiaozu)
    summary_submit(summary=summary, by=xiaozu)
    accepted = summary_review(summary=summary, by=zhuxi, accept=True)
    assert accepted.status == SummaryStatus.ACCEPTED and accepted.text == "终稿：18 人参加"


def test_a_group_leader_cannot_review_their_own_summary(client_for, group_activity, xiaozu):
    summary_submit(summary=summary_save(activity=group_activity, text="总结", by=xiaozu), by=xiaozu)
    response = client_for(xiaozu).post(reverse("activities:review", args=[group_activity.pk]), {"decision": "accept"})
    assert response.status_code == 404


def test_the_school_sees_which_groups_have_not_submitted(client_for, zhuxi, make_activity, units, xiaozu):
    held = {"status": Status.HELD, "starts_at": timezone.now() - datetime.timedelta(days=3)}
    done = make_activity(unit=units["g1"], title="已报送的", **held)
    make_activity(unit=units["g2"], title="西街没交的", **held)
    summary_submit(summary=summary_save(activity=done, text="总结", by=xiaozu), by=xiaozu)
    client = client_for(zhuxi)
    pending = client.get(reverse("activities:received")).content.decode()
    assert "已报送的" in pending and "西街没交的" not in pending
    assert "西街完小工会小组" in pending.split('data-testid="not-submitted"')[1]
    assert "东关完小工会小组" not in pending.split('data-testid="not-submitted"')[1]
    missing = client.get(reverse("activities:received"), {"state": "missing"}).content.decode()
    assert "西街没交的" in missing


def test_photos_are_served_only_through_the_access_rule(client_for, group_activity, xiaozu, zhuxi, outsider):
    summary = summary_save(activity=group_activity, text="总结", photos=[photo(300, 200)], by=xiaozu)
    url = reverse("activities:photo", args=[summary.photos.get().pk])
    assert client_for(zhuxi).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404


def test_the_received_page_keeps_bounded_queries(
    client_for, zhuxi, make_activity, units, xiaozu, django_assert_max_num_queries
):
    held = {"status": Status.HELD, "starts_at": timezone.now() - datetime.timedelta(days=3)}
    for i in range(30):
        activity = make_activity(unit=units["g1" if i % 2 else "g2"], title=f"小组活动{i}", **held)
        if i % 3:
            summary_submit(summary=summary_save(activity=activity, text="总结", by=xiaozu), by=xiaozu)
    client = client_for(zhuxi)
    for state in ("pending", "missing", "done"):
        with django_assert_max_num_queries(10):
            assert client.get(reverse("activities:received"), {"state": state}).status_code == 200


def test_a_new_year_s_morning_activity_is_filed_in_its_own_year(make_activity, units, xiaozu):
    """07:30 on 1 January in Beijing is still 31 December in UTC, as the database keeps it."""
    from federation.models import Filing

    morning = timezone.make_aware(datetime.datetime(2026, 1, 1, 7, 30))
    activity = make_activity(unit=units["g1"], title="元旦登山", status=Status.HELD, starts_at=morning)
    summary_submit(summary=summary_save(activity=activity, text="活动顺利举行。", by=xiaozu), by=xiaozu)
    assert Filing.objects.get(kind="activities.summary").year == 2026


def test_a_review_comment_the_form_refuses_comes_back_named_and_nothing_is_decided(
    client_for, group_activity, xiaozu, zhuxi
):
    summary = summary_submit(summary=summary_save(activity=group_activity, text="总结", by=xiaozu), by=xiaozu)
    school = client_for(zhuxi)
    # 300 characters in the browser's box, whose line break is sent as two (\r\n): 301 here.
    comment = "请补充活动照片说明\r\n" + "人" * 290
    for decision in ("accept", "return"):
        response = school.post(
            reverse("activities:review", args=[group_activity.pk]),
            {"decision": decision, "comment": comment},
        )
        page = response.content.decode()
        assert "最多300个字，现在是301个。" in page and "is-invalid" in page and comment in page  # to shorten
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SUBMITTED and summary.review_comment == ""


def test_a_photo_is_taken_out_only_while_the_summary_is_written(
    client_for, group_activity, xiaozu, django_capture_on_commit_callbacks
):
    summary = summary_save(activity=group_activity, text="活动顺利举行。", photos=[photo(), photo()], by=xiaozu)
    first, second = summary.photos.all()
    path = first.image.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(xiaozu).post(reverse("activities:photo_delete", args=[first.pk]), follow=True)
    assert "已删除照片。" in response.content.decode()
    assert list(summary.photos.all()) == [second] and not os.path.exists(path)
    summary_submit(summary=summary, by=xiaozu)
    # The same button on the page read before the summary was filed: the photo stays in the version filed.
    with pytest.raises(ActivityError, match="总结已报送"):
        summary_photo_delete(photo=second)
    response = client_for(xiaozu).post(reverse("activities:photo_delete", args=[second.pk]), follow=True)
    assert "总结已报送，审阅前不能修改。" in response.content.decode()
    assert os.path.exists(second.image.path)


@pytest.fixture
def county_activity(make_activity, units):
    """An activity of a federation at the top of its tree: there is nobody above to submit a summary to."""
    return make_activity(
        unit=units["other"],
        title="邻县职工书画展",
        status=Status.HELD,
        starts_at=timezone.now() - datetime.timedelta(days=2),
    )


def test_saving_and_submitting_is_one_step(group_activity, xiaozu):
    summary = summary_save(activity=group_activity, text="全组 18 人参加。", by=xiaozu, submit=True)
    assert summary.status == SummaryStatus.SUBMITTED and summary.submitted_by == xiaozu


def test_a_refused_submission_keeps_neither_the_new_text_nor_the_photos(county_activity, outsider, private_files):
    summary_save(activity=county_activity, text="初稿", by=outsider)
    with pytest.raises(ActivityError, match="最上级单位没有可以报送的上级"):
        summary_save(activity=county_activity, text="改稿", photos=[photo(800, 600)], by=outsider, submit=True)
    summary = Summary.objects.get(activity=county_activity)
    assert summary.text == "初稿" and summary.status == SummaryStatus.DRAFT
    assert not summary.photos.exists()
    assert not [path for path in private_files.rglob("*") if path.is_file()]  # no file left behind


def test_a_summary_whose_submission_is_refused_on_the_page_is_not_saved_either(
    client_for, county_activity, outsider, private_files
):
    response = client_for(outsider).post(
        reverse("activities:summary", args=[county_activity.pk]),
        {"text": "参展作品 60 件。", "photos": [photo(800, 600)], "submit": "1"},
    )
    html = response.content.decode()
    # The page comes back with the refusal and what was typed, to save as a draft instead.
    assert response.status_code == 200 and "最上级单位没有可以报送的上级。" in html
    assert "参展作品 60 件。" in html
    assert not Summary.objects.filter(activity=county_activity).exists()
    assert not [path for path in private_files.rglob("*") if path.is_file()]
