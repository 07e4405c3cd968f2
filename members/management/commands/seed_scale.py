"""Scale data for benchmarks: a province-sized tree with N members.

province > cities > counties > unions > groups, about 100 members per union (the shape of
the target deployment: 10 million members in 100,000 units). Units are written with their
tree paths computed here and members in large batches, so that a million members take
minutes, not hours. Members get no history rows: they were never edited.

Beside the members, in proportion (per union of about 100 members): one published plan of the
year with 12 items over the union and its groups, some done and some late; two activities held
this year and one open; about 40 check-ins. At the end the roll-ups are computed from scratch
(``--no-rollups`` skips it, e.g. before timing ``check_rollups`` itself).
"""

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from faker import Faker

from core import idnumber, pinyin
from members.models import Category, Gender, Member, Status, id_number_index
from orgs.models import OrgUnit, UnitKind

BATCH = 5000
MEMBERS_PER_UNION = 100
GROUPS_PER_UNION = 4
COUNTIES_PER_CITY = 10
UNIONS_PER_COUNTY = 20
NAME_POOL = 20000


def _plan(members):
    unions = max(1, members // MEMBERS_PER_UNION)
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
        self._members(members, leaves, names, rng, started)
        self.stdout.write(self.style.SUCCESS(f"{members} members in {time.monotonic() - started:.1f}s"))
        if not no_work:
            from bench import _seed_work as seed_scale_work

            seed_scale_work.add_work(prefix, rng=rng, stdout=self.stdout)
            self.stdout.write(f"plans, activities and check-ins in {time.monotonic() - started:.1f}s")
        if not no_rollups:
            from rollups.refresh import drift

            drift(fix=True)
            self.stdout.write(f"roll-ups computed in {time.monotonic() - started:.1f}s")

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
            pool.append((name, gender, pinyin.full_pinyin(name), pinyin.initials(name)))
        return pool

    def _members(self, count, leaves, names, rng, started):
        today = datetime.date.today()
        used = set()
        categories = [Category.TEACHER] * 8 + [Category.WORKER, Category.CADRE]
        batch = []
        for n in range(count):
            unit_id, region = leaves[n % len(leaves)]
            name, gender, full, initials = rng.choice(names)
            while True:
                birth = today - datetime.timedelta(days=rng.randint(22 * 365, 60 * 365))
                number = idnumber.make(birth, gender, region=region, rng=rng)
                if number not in used:
                    used.add(number)
                    break
            member = Member(
                unit_id=unit_id,
                name=name,
                gender=gender,
                birth_date=birth,
                id_number=number,
                id_number_index=id_number_index(number),
                id_last4=number[-4:],
                phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                category=rng.choice(categories),
                joined_on=birth.replace(year=birth.year + 23, day=1),
                status=Status.ACTIVE if rng.random() < 0.97 else Status.LEFT,
                name_pinyin=full,
                name_initials=initials,
            )
            member.phone_last4 = member.phone[-4:]
            batch.append(member)
            if len(batch) == BATCH:
                Member.objects.bulk_create(batch)
                batch = []
                if (n + 1) % 100_000 == 0:
                    self.stdout.write(f"  {n + 1} members, {time.monotonic() - started:.0f}s")
        if batch:
            Member.objects.bulk_create(batch)
