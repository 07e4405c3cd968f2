"""Bounds for everything that parses a file a user sent, so that no file can take the server down.

Two tools, used by every parser (sheets, plan documents, images):

- ``check_archive`` reads only a zip's central directory (.xlsx and .docx are zips) and refuses
  one whose members would unpack to more than a limit: a 75 KB .docx can hold 10 MB of XML,
  and a 1.6 KB .xlsx can claim a sheet of a million rows.
- ``run_limited`` runs a parsing function in a forked child with a ceiling on memory and time,
  so that what a check cannot foresee still ends with a message instead of a dead worker.

Both raise ``FileRefused`` with a message for the person who sent the file.
"""

import faulthandler
import multiprocessing
import os
import resource
import traceback
import zipfile

from django.utils.translation import gettext as _


class FileRefused(Exception):
    """The file cannot be read safely; ``message`` says why, for the person who sent it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def check_archive(file, *, max_bytes: int = 200 * 1024 * 1024, max_members: int = 5000, max_ratio: int = 300):
    """Refuse a zip whose members would unpack to more than ``max_bytes`` in all, that has more
    than ``max_members`` members, or whose members are compressed more than ``max_ratio`` times
    beyond a few megabytes (the shape of a zip bomb). ``file`` is a path or a binary file object,
    left at its start.
    """
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileRefused(
            _("文件已损坏或不是 Office 2007 以后的格式（.xlsx / .docx），请在 Office 或 WPS 中另存后再上传。")
        ) from None
    finally:
        if hasattr(file, "seek"):
            file.seek(0)
    if len(members) > max_members:
        raise FileRefused(
            _("文件内部包含的部件太多（%(count)s 个），不像正常的 Office 文档。") % {"count": len(members)}
        )
    total = sum(member.file_size for member in members)
    if total > max_bytes:
        raise FileRefused(
            _("文件解压后有 %(size)s MB，超过了可以处理的 %(limit)s MB。请删去多余的内容或分成几个文件。")
            % {"size": total // (1024 * 1024), "limit": max_bytes // (1024 * 1024)}
        )
    for member in members:
        if member.file_size > 4 * 1024 * 1024 and member.file_size > max_ratio * max(member.compress_size, 1):
            raise FileRefused(_("文件中的内容被异常地高度压缩（可能是恶意构造的文件），已拒绝读取。"))


def _address_space_bytes():
    """The address space this process already maps: the child's ceiling is counted on top of it."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _child(send, func, args, kwargs, memory_bytes, seconds):
    # A native parser (calamine) aborts the process when an allocation fails at the ceiling: that is the
    # limit working, reported to the parent as too large, not a crash whose Python stack belongs in the log.
    faulthandler.disable()
    # Nor is its Rust backtrace (where the deployment sets RUST_BACKTRACE): calamine's own line says enough.
    os.environ["RUST_BACKTRACE"] = "0"
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds + 1, seconds + 2))
        outcome = ("ok", func(*args, **kwargs))
    except FileRefused as refused:
        outcome = ("refused", str(refused.message))
    except MemoryError:
        outcome = ("memory", None)
    except BaseException as error:  # reported to the parent, which raises it there
        outcome = ("error", f"{type(error).__name__}: {error}\n{traceback.format_exc()}")
    try:
        send.send(outcome)
    except MemoryError:
        send.send(("memory", None))
    finally:
        send.close()


class ParserCrashed(RuntimeError):
    """The parser failed in the child for a reason other than the file's size: a bug to look at."""


def run_limited(func, *args, seconds: int = 60, memory_mb: int = 1024, **kwargs):
    """``func(*args, **kwargs)`` computed in a forked child with at most ``memory_mb`` more memory and
    ``seconds`` of time; returns its (picklable) result.

    The child must not use the database: it shares the parent's connections and exits without
    closing them (``os._exit``), so give it paths or bytes and write what it returns in the parent.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    memory_bytes = _address_space_bytes() + memory_mb * 1024 * 1024
    child = context.Process(target=_child, args=(send, func, args, kwargs, memory_bytes, seconds), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise FileRefused(_("文件太大或太复杂，%(seconds)s 秒内没有读完，已停止读取。") % {"seconds": seconds})
        kind, value = receive.recv()
    except EOFError:
        # The child died without a word: killed for its memory (or CPU time) by the kernel.
        kind, value = "memory", None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if kind == "ok":
        return value
    if kind == "refused":
        raise FileRefused(value)
    if kind == "memory":
        raise FileRefused(
            _("文件太大或太复杂，读取它需要的内存超过了 %(limit)s MB，已停止读取。") % {"limit": memory_mb}
        )
    raise ParserCrashed(value)
