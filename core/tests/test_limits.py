"""A file a user sends is read within bounds: a zip bomb is refused unread, a parser that runs away is stopped."""

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from core.limits import FileRefused, ParserCrashed, check_archive, run_limited

ROOT = Path(__file__).resolve().parents[2]


def zip_of(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_an_ordinary_archive_passes_and_is_left_at_its_start():
    file = zip_of({"word/document.xml": b"<w:document/>" * 100})
    check_archive(file)
    assert file.tell() == 0


def test_an_archive_that_unpacks_past_the_limit_is_refused_before_reading():
    file = zip_of({"xl/worksheets/sheet1.xml": b"0" * 200_000})
    with pytest.raises(FileRefused, match="解压后"):
        check_archive(file, max_bytes=100_000)


def test_a_highly_compressed_member_is_refused_as_a_zip_bomb():
    file = zip_of({"word/document.xml": b"\0" * (8 * 1024 * 1024)})
    with pytest.raises(FileRefused, match="压缩"):
        check_archive(file)


def test_too_many_members_are_refused():
    file = zip_of({f"part{i}.xml": b"x" for i in range(30)})
    with pytest.raises(FileRefused, match="部件太多"):
        check_archive(file, max_members=20)


def test_a_file_that_is_not_a_zip_is_refused_with_what_to_do():
    with pytest.raises(FileRefused, match="另存"):
        check_archive(io.BytesIO(b"PK\x03\x04 not really"))


def _add(a, b):
    return a + b


def _sleep_forever():
    time.sleep(60)


def _eat_memory():
    hoard = []
    while True:
        hoard.append(bytearray(50 * 1024 * 1024))


def _refuse():
    raise FileRefused("表格第 3 行不对")


def _crash():
    raise ValueError("a bug")


def test_run_limited_returns_what_the_function_computed():
    assert run_limited(_add, 2, b=3) == 5


def test_a_parser_past_its_time_is_stopped_with_a_message():
    started = time.monotonic()
    with pytest.raises(FileRefused, match="秒内没有读完"):
        run_limited(_sleep_forever, seconds=1)
    assert time.monotonic() - started < 30


def test_a_parser_past_its_memory_is_stopped_with_a_message():
    with pytest.raises(FileRefused, match="内存"):
        run_limited(_eat_memory, memory_mb=200, seconds=30)


def test_a_refusal_in_the_child_reaches_the_caller_unchanged():
    with pytest.raises(FileRefused, match="第 3 行"):
        run_limited(_refuse)


def test_a_bug_in_the_parser_is_not_dressed_up_as_a_refused_file():
    with pytest.raises(ParserCrashed, match="a bug"):
        run_limited(_crash)


def test_a_child_that_aborts_at_its_ceiling_is_reported_without_a_crash_dump_in_the_log():
    # In a process of its own: pytest points the fault handler at the terminal, where no capture sees it.
    script = (
        "import django, os\n"
        "django.setup()\n"
        "from core.limits import FileRefused, run_limited\n"
        "try:\n"
        "    run_limited(os.abort)  # as calamine aborts when an allocation fails at the memory ceiling\n"
        "except FileRefused as refused:\n"
        "    print(refused)\n"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="gonghui.settings", DEBUG="true", PYTHONFAULTHANDLER="1")
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert "内存" in done.stdout, done.stderr
    assert "Fatal Python error" not in done.stderr
