"""Scale data for benchmarks: a province-sized tree with N members.

province > cities > counties > unions > groups, 100 members per union up to 20,000 unions, larger
unions beyond (the shape of the target deployment, issue 13: 1 million members in about 50,000
units, 10 million in about 100,000). Units are written with their
tree paths computed here; members are drawn by two processes and streamed in by COPY on
PostgreSQL (see Command._members), and nothing in memory grows with the number of members.
Members get no history rows: they were never edited. Phones come from a pool of PHONES numbers
(encrypted once); ID numbers are unique by construction (_MemberPlan). The members are the same
for the same --seed; on PostgreSQL the check-ins are drawn by the database and differ per run.

Beside the members, in proportion (per union of about 100 members): one published plan of the
year with 12 items over the union and its groups, some done and some late; two activities held
this year and one open; about 40 check-ins. At the end the roll-ups are computed from scratch
(``--no-rollups`` skips it, e.g. before timing ``check_rollups`` itself).
"""

import datetime
import multiprocessing
import random
import time
from collections import Counter
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone
from faker import Faker

from core import bulk, idnumber, pinyin
from core.encryption import encrypt_many
from members.models import Category, Gender, Member, Status, id_number_index
from orgs.models import OrgUnit, UnitKind

BATCH = 5000
CHUNK = 20_000  # members drawn and written together
WORKERS = 2  # processes drawing members on PostgreSQL (the machine's cores; the server gets what they leave)
PHONES = 10_000  # distinct phone numbers
BIRTH_DAYS = 38 * 365  # members are 22 to 60 years old
MEMBERS_PER_UNION = 100  # the smallest union; see _plan
MOST_UNIONS = 20_000  # a province has about 100,000 units (unions and their groups): unions grow beyond
GROUPS_PER_UNION = 4
COUNTIES_PER_CITY = 10
UNIONS_PER_COUNTY = 20
NAME_POOL = 20000
CATEGORIES = [Category.TEACHER] * 8 + [Category.WORKER, Category.CADRE]


def _plan(members):
    unions = max(1, min(members // MEMBERS_PER_UNION, MOST_UNIONS))
    counties = max(1, -(-unions // UNIONS_PER_COUNTY))
    cities = max(1, -(-counties // COUNTIES_PER_CITY))
    return cities, counties, unions


class Command(BaseCommand):
    help = "Build a province-sized tree (province > cities > counties > unions > groups) with N members."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, required=True)
        parser.add_argument("--prefix", default="scale", help="code prefix of the generated units")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-work", action="store_true", help="members only: no plans, activities, check-ins")
        parser.add_argument("--no-rollups", action="store_true", help="leave the roll-ups to check_rollups --fix")

    def handle(self, *args, members, prefix, seed, no_work=False, no_rollups=False, **options):
        if OrgUnit.objects.filter(code=f"{prefix}-province").exists():
            raise CommandError(f"{prefix}-province exists already; use another --prefix or a fresh database")
        started = time.monotonic()
        rng = random.Random(seed)
        with transaction.atomic():
            leaves = self._tree(prefix, members)
        self.stdout.write(f"{len(leaves)} units with members built in {time.monotonic() - started:.1f}s")
        names = self._names(seed)
        self._members(members, leaves, names, seed, started)
        self.stdout.write(self.style.SUCCESS(f"{members} members in {time.monotonic() - started:.1f}s"))
        if not no_work:
            from bench import _seed_work as seed_scale_work

            # Unions larger than the smallest hold more activities and plan more items, in proportion.
            size = max(1, members // (_plan(members)[2] * MEMBERS_PER_UNION))
            seed_scale_work.add_work(prefix, rng=rng, stdout=self.stdout, size=size)
            self.stdout.write(f"plans, activities and check-ins in {time.monotonic() - started:.1f}s")
        if not no_rollups:
            from rollups.refresh import rebuild

            rebuild()
            self.stdout.write(f"roll-ups computed in {time.monotonic() - started:.1f}s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # statistics for the benchmark that follows
            self.stdout.write(f"analyzed in {time.monotonic() - started:.1f}s")

    def _tree(self, prefix, members):
        """Bulk-create the units, paths computed as treebeard would; returns [(unit, region code)]."""
        cities, counties, unions = _plan(members)
        last_root = OrgUnit.objects.filter(depth=1).order_by("-path").first()
        root_step = OrgUnit._str2int(last_root.path) + 1 if last_root else 1
        rows, leaves = [], []

        def add(parent_path, depth, step, code, name, kind, headcount=0, children=0):
            path = OrgUnit._get_path(parent_path, depth, step)
            rows.append(
                OrgUnit(path=path, depth=depth, numchild=children, code=code, name=name, kind=kind, headcount=headcount)
            )
            return path

        province = add(None, 1, root_step, f"{prefix}-province", "省总工会（测试）", UnitKind.FEDERATION, 0, cities)
        union_number = 0
        for c in range(cities):
            city_counties = min(COUNTIES_PER_CITY, counties - c * COUNTIES_PER_CITY)
            city = add(
                province, 2, c + 1, f"{prefix}-c{c}", f"第{c + 1}市总工会", UnitKind.FEDERATION, 0, city_counties
            )
            for k in range(city_counties):
                county_unions = min(UNIONS_PER_COUNTY, unions - union_number)
                if county_unions <= 0:
                    break
                region = f"{130000 + (c * COUNTIES_PER_CITY + k) % 9000 + 100:06d}"
                county = add(
                    city,
                    3,
                    k + 1,
                    f"{prefix}-c{c}k{k}",
                    f"第{c + 1}市第{k + 1}县总工会",
                    UnitKind.FEDERATION,
                    0,
                    county_unions,
                )
                for u in range(county_unions):
                    code = f"{prefix}-u{union_number}"
                    union = add(
                        county, 4, u + 1, code, f"第{union_number + 1}学校工会", UnitKind.UNION, 22, GROUPS_PER_UNION
                    )
                    leaves.append((code, region))
                    for g in range(GROUPS_PER_UNION):
                        add(union, 5, g + 1, f"{code}-g{g}", f"第{g + 1}工会小组", UnitKind.GROUP, 22)
                        leaves.append((f"{code}-g{g}", region))
                    union_number += 1
        OrgUnit.objects.bulk_create(rows, batch_size=BATCH)
        by_code = dict(OrgUnit.objects.filter(code__startswith=f"{prefix}-").values_list("code", "pk"))
        return [(by_code[code], region) for code, region in leaves]

    def _names(self, seed):
        faker = Faker("zh_CN")
        faker.seed_instance(seed)
        pool = []
        for n in range(NAME_POOL):
            gender = Gender.FEMALE if n % 3 else Gender.MALE
            name = faker.name_female() if gender == Gender.FEMALE else faker.name_male()
            if set(name) & set("\t\n\r\\"):  # COPY text would need them escaped
                continue
            pool.append((name, gender, pinyin.full_pinyin(name), pinyin.initials(name)))
        return pool

    def _members(self, count, leaves, names, seed, started):
        """Write ``count`` members, each leaf unit's members one after another.

        A chunk's values come from a generator seeded by ``--seed`` and the chunk's number, so
        they do not depend on which process draws them. On PostgreSQL, WORKERS processes draw
        and encrypt the chunks as COPY text while this one streams them into the table, whose
        indexes and foreign keys are dropped for the load and rebuilt after it in the same
        transaction (building an index once is quicker than keeping it up row by row; a failure
        leaves the table as it was). SQLite (small N, tests) inserts in this process.
        """
        global _drawing
        _drawing = _MemberPlan(count, leaves, names, _phone_pool(seed), seed, timezone.localdate())
        try:
            if connection.vendor == "postgresql":
                self._copy_members(started)
            else:
                with transaction.atomic():
                    for number in range(_drawing.chunks):
                        _drawing.insert(number)
        finally:
            _drawing = None

    def _copy_members(self, started):
        # Forked workers must share no connection with this process: they are started with none open,
        # which a caller's transaction (a test's) rules out; then the chunks are drawn here.
        forking = _drawing.chunks > 1 and not connection.in_atomic_block
        if forking:
            connections.close_all()
        pool = multiprocessing.get_context("fork").Pool(WORKERS) if forking else None
        texts = pool.imap(_chunk_text, range(_drawing.chunks)) if pool else map(_chunk_text, range(_drawing.chunks))
        with pool or nullcontext(), bulk.without_indexes(Member):  # (a pool's exit ends it)
            with connection.cursor() as cursor, cursor.cursor.copy(_drawing.copy_sql()) as copy:
                for number, text in enumerate(texts, start=1):
                    copy.write(text)
                    if number % (100_000 // CHUNK) == 0:
                        self.stdout.write(f"  {number * CHUNK} members, {time.monotonic() - started:.0f}s")
            self.stdout.write(f"  members written, indexes rebuilt next, {time.monotonic() - started:.0f}s")


_drawing = None  # the _MemberPlan the forked workers draw from


def _chunk_text(number):
    return _drawing.text(number)


def _phone_pool(seed):
    """PHONES phone numbers, encrypted once: (stored value, last four digits). Phones need not be
    unique, and one encryption per member (the ID number's) is the costliest part of a member."""
    rng = random.Random(seed)
    numbers = [f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" for _ in range(PHONES)]
    return list(zip(encrypt_many(numbers), [n[-4:] for n in numbers], strict=True))


class _MemberPlan:
    """Who member number n is: their leaf unit, and unique ID numbers without a set of them.

    Members fill the leaves in order (about MEMBERS_PER_UNION / (GROUPS_PER_UNION + 1) each).
    The members of a county (one region code) are numbered j = 0, 1, ...; member j gets the
    sequence number 2 * (j % 500) (+1 for men) and a birth day in the residue class j // 500
    modulo ``blocks``, so no two members of a region share birth date and sequence.
    """

    VARYING = (
        "unit_id", "name", "gender", "birth_date", "id_number", "id_number_index",
        "phone", "phone_last4", "category", "joined_on", "status", "name_pinyin", "name_initials",
    )  # fmt: skip

    def __init__(self, count, leaves, names, phones, seed, today):
        self.count, self.names, self.phones, self.seed = count, names, phones, seed
        self.leaves, per_region = [], {}
        for index, (unit_id, region) in enumerate(leaves):
            first = per_region.setdefault(region, index)
            self.leaves.append((str(unit_id), region, -(-first * count // len(leaves))))
        most = max(Counter(region for _u, region, _f in self.leaves).values()) * -(-count // len(leaves))
        self.blocks = -(-most // 500)
        if self.blocks * 2 > BIRTH_DAYS:
            raise CommandError("too many members per region code for unique ID numbers")
        self.chunks = -(-count // CHUNK)
        # Each birth day's date as stored, as written in an ID number, and the day joined (formatted once).
        self.days = []
        for offset in range(BIRTH_DAYS + self.blocks):
            birth = today - datetime.timedelta(days=22 * 365 + offset)
            self.days.append(
                (birth.isoformat(), f"{birth:%Y%m%d}", birth.replace(year=birth.year + 23, day=1).isoformat())
            )
        fields = [f for f in Member._meta.concrete_fields if not f.primary_key and not f.generated]
        now = timezone.now()
        constant = {
            f.column: f.get_db_prep_save(
                now if f.attname in ("created_at", "updated_at") else f.get_default(), connection
            )
            for f in fields
            if f.attname not in self.VARYING
        }
        self.columns = [*(Member._meta.get_field(name).column for name in self.VARYING), *constant]
        self.constant = list(constant.values())

    def members(self, number):
        """The varying values of chunk ``number``'s members, in VARYING's order (dates as text)."""
        rng = random.Random(self.seed * 1_000_003 + number)
        leaves, count, names, days, rows = self.leaves, self.count, self.names, self.days, []
        spread = BIRTH_DAYS // self.blocks
        for n in range(number * CHUNK, min(count, (number + 1) * CHUNK)):
            unit_id, region, first = leaves[n * len(leaves) // count]
            j = n - first
            draw = rng.getrandbits(64)  # one draw for name, birth day, phone, category and status
            draw, pick = divmod(draw, len(names))
            name, gender, full, initials = names[pick]
            draw, day = divmod(draw, spread)
            birth, digits, joined = days[self.blocks * day + j // 500]
            first17 = f"{region}{digits}{2 * (j % 500) + (gender == Gender.MALE):03d}"
            id_number = first17 + idnumber.check_char(first17)
            draw, pick = divmod(draw, PHONES)
            phone, phone_last4 = self.phones[pick]
            draw, pick = divmod(draw, 100)
            rows.append([
                unit_id, name, gender, birth, id_number, id_number_index(id_number), phone,
                phone_last4, CATEGORIES[pick % 10], joined, Status.ACTIVE if draw % 100 >= 3 else Status.LEFT,
                full, initials,
            ])  # fmt: skip
        for row, token in zip(rows, encrypt_many([row[4] for row in rows]), strict=True):
            row[4] = token
        return rows

    def text(self, number):
        """Chunk ``number`` as COPY text (values hold no tab, newline or backslash)."""
        fixed = "\t".join(
            "\\N" if v is None else ("t" if v else "f") if isinstance(v, bool) else str(v) for v in self.constant
        )
        tail = f"\t{fixed}\n"
        return "".join("\t".join(row) + tail for row in self.members(number))

    def copy_sql(self):
        quote = connection.ops.quote_name
        return f"COPY {quote(Member._meta.db_table)} ({', '.join(map(quote, self.columns))}) FROM STDIN"

    def insert(self, number):
        quote = connection.ops.quote_name
        sql = (
            f"INSERT INTO {quote(Member._meta.db_table)} ({', '.join(map(quote, self.columns))}) "
            f"VALUES ({', '.join(['%s'] * len(self.columns))})"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, [[*row, *self.constant] for row in self.members(number)])
