"""Every string marked for translation is in its app's English catalogue, translated.

    .venv/bin/python scripts/catalogues_extracted.py [app ...]

The catalogues' own test (core/tests/test_i18n.py) sees only what is in them: a string marked in new code
whose catalogue was never extracted again is missing from it, and the English page shows Chinese. This
runs ``makemessages`` on a copy of each app (the working tree is left alone) and names every msgid that
the copy's catalogue lacks a translation for. Exits 1 when there is any.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def untranslated(app: str, scratch: Path) -> list[str]:
    copy = scratch / app
    shutil.copytree(ROOT / app, copy, ignore=shutil.ignore_patterns("tests", "__pycache__", "*.mo"))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="gonghui.settings", GONGHUI_TESTING="1", PYTHONPATH=str(ROOT))
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "en", "--no-obsolete", "-v0"],
        cwd=copy,
        env=env,
        check=True,
    )
    catalogue = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    return [
        (f"{entry.msgctxt}: " if entry.msgctxt else "") + entry.msgid
        for entry in catalogue
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]


def main(apps):
    apps = apps or sorted(path.parent.name for path in ROOT.glob("*/locale"))
    missing = {}
    with tempfile.TemporaryDirectory() as scratch:
        for app in apps:
            if found := untranslated(app, Path(scratch)):
                missing[app] = found
    for app, msgids in missing.items():
        print(f"{app}: {len(msgids)} marked for translation but not translated in {app}/locale (run makemessages):")
        for msgid in msgids[:20]:
            print(f"    {msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
