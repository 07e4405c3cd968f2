"""Activity photos are private files: stored outside any web root, served only through the access
rule (404 to a reader who may not see the summary), purged by core.files' retention helpers; an image
too large to decode is refused with a Chinese message."""

import datetime
import io
import os
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities.models import Status, SummaryPhoto
from activities.services import ActivityError, summary_save
from conftest import make_person
from core import files
from orgs.roles import Role


def _jpeg(width=300, height=200):
    out = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(out, "JPEG")
    return SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def group_photo(make_activity, units, xiaozu):
    activity = make_activity(
        unit=units["g1"],
        title="三八趣味活动",
        status=Status.HELD,
        starts_at=timezone.now() - datetime.timedelta(days=2),
    )
    summary = summary_save(activity=activity, text="总结", photos=[_jpeg()], by=xiaozu)
    return summary.photos.get()


def test_a_photo_is_stored_privately_with_no_public_url(group_photo, private_files, settings):
    path = private_files / group_photo.image.name
    assert path.is_file() and str(path).startswith(str(private_files))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert not any(settings.MEDIA_ROOT.rglob("*.jpg"))
    with pytest.raises(ValueError, match="private files have no URL"):
        group_photo.image.url  # noqa: B018


def test_a_photo_is_served_only_to_who_may_see_its_record(group_photo, client, client_for, xiaozu, zhuxi, units):
    url = reverse("activities:photo", args=[group_photo.pk])
    response = client_for(xiaozu).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    # The leader of the sibling group may not see g1's summary: the photo does not exist for her.
    other_leader = make_person("xiaozu2", "刘芳", units["g2"], Role.GROUP_LEADER)
    assert client_for(other_leader).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_behind_nginx_the_app_only_says_which_file_nginx_may_send(group_photo, client_for, zhuxi, settings):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    response = client_for(zhuxi).get(reverse("activities:photo", args=[group_photo.pk]))
    assert response["X-Accel-Redirect"] == f"/_private/{group_photo.image.name}"
    assert response.content == b""


def test_files_of_records_that_ended_long_enough_ago_are_purged(group_photo, settings, private_files):
    settings.PRIVATE_FILES_RETENTION_DAYS = 30
    now = timezone.now()
    path = private_files / group_photo.image.name
    photos = SummaryPhoto.objects.all()
    assert files.purge_expired(photos, fields=["image"], ended_field="created_at", now=now) == 0
    assert path.exists()
    later = now + datetime.timedelta(days=31)
    assert files.purge_expired(photos, fields=["image"], ended_field="created_at", now=later) == 1
    assert not path.exists() and not SummaryPhoto.objects.get().image


def test_discard_forgets_a_file_already_gone(group_photo, private_files):
    (private_files / group_photo.image.name).unlink()
    files.discard(group_photo.image)
    assert not group_photo.image


def test_a_huge_image_is_refused_with_a_chinese_message(make_activity, units, xiaozu):
    # 13000 × 13000 one-bit pixels compress to a few KB, and would decode to half a gigabyte.
    out = io.BytesIO()
    Image.new("1", (13000, 13000)).save(out, "PNG")
    assert len(out.getvalue()) < 100_000
    bomb = SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")
    activity = make_activity(unit=units["g1"], status=Status.HELD, starts_at=timezone.now())
    with pytest.raises(ActivityError, match="像素过多"):
        summary_save(activity=activity, text="总结", photos=[bomb], by=xiaozu)
    assert not SummaryPhoto.objects.exists()
