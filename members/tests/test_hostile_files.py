"""Hostile rosters sent to the import page: each is refused on the page with words that name the file or
sheet, in Chinese or in English as the officer chose, and no member is written. The reader's own
bounds are specified in core/tests/test_sheets.py and core/tests/test_hostile_files.py; this is the
page an officer meets them on."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from members.models import ImportJob, Member
from members.tests.sheets import id_for, xlsx

pytestmark = pytest.mark.django_db

ZHANG = id_for(1985, 3, 2, "M", seed=1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _word(tmp_path):
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def _claiming_the_whole_grid(tmp_path):
    """1.6 KB-ish: a roster whose one extra cell sits at XFD1048576, deeply compressed."""
    path = xlsx(tmp_path / "good.xlsx", [[1, "张伟", "男", ZHANG, "", "", "", ""]])
    out = io.BytesIO()
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", far)
            target.writestr(member, data)
    return out.getvalue()


def _ten_thousand_columns(tmp_path):
    return ",".join(["姓名", "身份证号码", *(f"列{n}" for n in range(10_000))]).encode("gb18030")


CASES = [
    ("花名册.xlsx", _word, "其实是一份 Word 文档", "is really a Word document"),
    ("花名册.xlsx", _claiming_the_whole_grid, "1048576 行 × 16384 列", "1048576 rows × 16384 columns"),
    (
        "../花名册.csv",
        _ten_thousand_columns,
        "工作表“花名册”的范围有 1 行 × 10002 列",
        "Sheet “花名册” spans 1 rows × 10002",
    ),
    ("花名册.xls", lambda _path: b"", "空文件", "file is empty"),  # Django's own words: no job at all
]


@pytest.mark.parametrize(("name", "data", "chinese", "english"), CASES)
def test_a_hostile_roster_is_refused_on_the_page_in_the_officers_language(
    client_for, zhuxi, tmp_path, name, data, chinese, english
):
    client = client_for(zhuxi)
    for language, words in (("zh-hans", chinese), ("en", english)):
        client.cookies["gonghui_language"] = language
        page = client.post(reverse("members:import"), {"file": SimpleUploadedFile(name, data(tmp_path))}, follow=True)
        assert page.status_code == 200
        assert words in page.content.decode()
    # Checked, with the refusal as its message: the officer may send another file, nothing was written.
    assert all(job.state == ImportJob.State.CHECKED and job.message for job in ImportJob.objects.all())
    assert not Member.objects.exists()
