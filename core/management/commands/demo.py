from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEMO_PASSWORD = "gonghui-demo"


class Command(BaseCommand):
    help = "Create the demo county federation, its unions and the demo logins (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (the demo logins have a known password)"
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: the demo creates logins with a published password. Use --force if this is not production."
            )
        # Each app that has demo data offers demo.populate(); they run in INSTALLED_APPS order
        # so that members exist before the activities they join.
        with transaction.atomic():
            for config in apps.get_app_configs():
                if config.path.startswith(str(settings.BASE_DIR)) and find_spec(f"{config.name}.demo"):
                    import_module(f"{config.name}.demo").populate(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password {DEMO_PASSWORD}):"))
        for username, role in [
            ("zhuxi", "chair of demo-school / 中心校工会主席"),
            ("xiaozu", "group leader / 工会小组长"),
            ("bangfu", "care officer / 帮扶专干"),
            ("xianzong", "federation viewer of demo-county / 县总工会"),
            ("huiyuan", "member of a union group / 会员"),
            ("daibiao", "staff congress representative / 教代会代表"),
            ("chuzhang", "head of the general affairs office, answers proposals / 总务处处长"),
            ("jingshen", "member of the funds review committee / 经审委员"),
            ("anquan", "labour protection inspector / 劳动保护监督检查员"),
            ("admin", "site administrator (/admin/)"),
        ]:
            self.stdout.write(f"  {username:<10} {role}")
