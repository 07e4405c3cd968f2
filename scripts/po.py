"""Fill an app's English catalogue: list what is missing, or set translations from a JSON file.

    .venv/bin/python scripts/po.py democracy --missing          # msgids still empty or fuzzy
    .venv/bin/python scripts/po.py democracy --set en.json      # {"中文": "English", ...}

A plural entry (ngettext, blocktranslate count) takes a list, singular first:
{"%(n)s 条意见未答复": ["%(n)s opinion without a reply", "%(n)s opinions without a reply"]}.

Run ``manage.py makemessages -l en --no-wrap`` in the app first (the catalogues are kept unwrapped, as this
script saves them: a wrapped run would rewrap every long entry of the diff) and ``compilemessages`` after.
An entry with a context is named "context\x04msgid" (as --missing prints it); by its msgid alone only when
no entry of that msgid without a context shares the catalogue (报名 the button and 报名 the count differ).
"""

import argparse
import json
import sys
from pathlib import Path

import polib


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("--missing", action="store_true")
    parser.add_argument("--set", metavar="JSON")
    args = parser.parse_args()
    path = Path(args.app) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path), wrapwidth=0)
    if args.set:
        given = json.loads(Path(args.set).read_text(encoding="utf-8"))
        plain = {entry.msgid for entry in catalogue if not entry.msgctxt}
        for entry in catalogue:
            value = given.get(_key(entry))
            if value is None and entry.msgctxt and entry.msgid not in plain:
                value = given.get(entry.msgid)
            if value is None:
                continue
            if entry.msgid_plural and isinstance(value, list):  # ["1 opinion", "%(n)s opinions"]
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            elif entry.msgid_plural:
                entry.msgstr_plural = {0: value, 1: given.get(entry.msgid_plural, value)}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        catalogue.save()
    missing = [
        e
        for e in catalogue
        if not e.obsolete and ("fuzzy" in e.flags or not (e.msgstr or any(e.msgstr_plural.values())))
    ]
    if args.missing or args.set:
        print(json.dumps({_key(e): "" for e in missing}, ensure_ascii=False, indent=1))
    sys.exit(1 if missing and args.missing else 0)


def _key(entry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


if __name__ == "__main__":
    main()
