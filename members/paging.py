"""Keyset pagination for the roster.

OFFSET pagination makes the database walk past every earlier row, and its page count needs
a COUNT(*) of the whole filtered subtree on every view: at a million members both grow with
the roster. Here a page is "the next N rows after (name_pinyin, id) of the last row shown",
answered from the (name_pinyin, id) order of an index whatever the page, and the total is
counted only up to core.keyset.COUNT_CAP rows ("more than 2,000"), which also stays bounded.
"""

from django.db.models import Q
from django.db.models.functions import Lower

from core.keyset import KeysetPage, capped_count, take


def _cursor(member):
    return f"{member.name_pinyin}~{member.pk}"


def _parse(cursor):
    pinyin, _sep, pk = (cursor or "").rpartition("~")
    # Lower-case letters and the spaces between syllables (core.pinyin), or "" for a name without pinyin.
    if not pk.isdecimal() or not (pinyin.isascii() and (pinyin.replace(" ", "").isalpha() or pinyin == "")):
        return None
    return pinyin, int(pk)


def keyset_page(queryset, *, after="", before="", size=30, count=True, walk_index=True):
    """A page of ``queryset`` (in (name_pinyin, id) order) after or before a cursor.

    ``walk_index=False`` for searches: the matches of a search are found through their own
    indexes and sorted. Ordering by the bare column would invite the planner to walk the
    pinyin index from "a" and test every row, which it believes cheap because it assumes the
    matches are spread evenly; those of "zw" all sort near the end.
    """
    key_column = "name_pinyin" if walk_index else Lower("name_pinyin")  # the same order (pinyin is lower case)
    ordering = [key_column if walk_index else key_column.asc(), "id"]
    queryset = queryset.order_by(*ordering)
    key = _parse(before) if before else _parse(after)
    backwards = bool(before) and key is not None
    if key is not None:
        pinyin, pk = key
        # The first condition alone bounds an index range; the OR after it only settles ties.
        if backwards:
            window = queryset.filter(Q(name_pinyin__lte=pinyin), Q(name_pinyin__lt=pinyin) | Q(id__lt=pk))
            window = window.order_by("-name_pinyin" if walk_index else key_column.desc(), "-id")
        else:
            window = queryset.filter(Q(name_pinyin__gte=pinyin), Q(name_pinyin__gt=pinyin) | Q(id__gt=pk))
    else:
        window = queryset
    rows, more = take(window, size, backwards=backwards)
    total, capped = capped_count(queryset) if count else (0, False)
    return KeysetPage(
        object_list=rows,
        has_next=more if not backwards else True,
        has_previous=(key is not None) and (more if backwards else True),
        next_cursor=_cursor(rows[-1]) if rows else "",
        previous_cursor=_cursor(rows[0]) if rows else "",
        count=total,
        count_capped=capped,
    )
