"""Prefix matching that an ordinary index answers, on SQLite and PostgreSQL alike."""


def prefix_range(prefix, length, top="z"):
    """Bounds of the values (of at most ``length`` characters) starting with ``prefix``.

    A range rather than LIKE 'prefix%': Django adds ESCAPE to LIKE, after which SQLite
    ignores the index, and PostgreSQL's LIKE needs a pattern-ops index. ``top`` must sort
    after every character the values may hold there ("z" for lower-case pinyin, "Z" for
    tree paths, U+10FFFF for any text).
    """
    return (prefix, prefix + top * max(1, length - len(prefix)))
