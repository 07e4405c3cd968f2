"""The English translation is complete: every catalogue entry has English and none is fuzzy."""

from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR).glob("*/locale/en/LC_MESSAGES/django.po"))


def _entries(path):
    """(msgid, msgstr, flags) of each entry, enough of the .po grammar for this check."""
    entries, flags, current, key = [], "", {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith(("msgid ", "msgid_plural ", "msgstr")):
            key = line.split(" ", 1)[0]
            current[key] = current.get(key, "") + line.split(" ", 1)[1].strip('"')
        elif line.startswith('"') and key:
            current[key] += line.strip('"')
        elif not line.strip() and current:
            msgstrs = [v for k, v in current.items() if k.startswith("msgstr")]
            entries.append((current.get("msgid", ""), msgstrs, flags))
            current, flags, key = {}, "", None
    return [e for e in entries if e[0]]  # the header entry has an empty msgid


def test_there_are_catalogues():
    assert CATALOGUES, "no */locale/en/LC_MESSAGES/django.po found"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_entry_is_translated(path):
    missing = [msgid for msgid, msgstrs, _flags in _entries(path) if not all(msgstrs)]
    fuzzy = [msgid for msgid, _msgstrs, flags in _entries(path) if "fuzzy" in flags]
    assert not missing, f"{path}: no English for {missing[:10]}"
    assert not fuzzy, f"{path}: fuzzy entries {fuzzy[:10]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_compiled_catalogue_is_not_older_than_its_source(path):
    compiled = path.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} missing: run compilemessages and commit it"
