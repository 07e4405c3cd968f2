import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from orgs.models import OrgUnit
from plans.importing import plan_import
from plans.parsing import parse_plan
from plans.reading import PlanParseError, read_text
from plans.services import PlanError


class Command(BaseCommand):
    help = (
        "Import an annual work plan from a .docx, .doc (with LibreOffice installed), .xlsx schedule, text PDF "
        "or .txt file as a draft plan of a unit. "
        "With --dry-run nothing is saved and --unit/--year may be omitted; --json prints what was read."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help="the plan document: .docx, .doc, an .xlsx schedule, a PDF with text, or .txt (UTF-8 or GB18030)",
        )
        parser.add_argument("--unit", help="code of the unit the plan belongs to")
        parser.add_argument("--year", type=int, help="the plan's year")
        parser.add_argument("--dry-run", action="store_true", help="read and show the plan, save nothing")
        parser.add_argument("--json", action="store_true", help="print the parsed plan as JSON")

    def handle(self, *args, file, unit, year, dry_run, json: bool, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("无法读取文件 %(file)s：%(error)s") % {"file": file, "error": error.strerror}
            ) from error
        try:
            parsed = parse_plan(read_text(data, path.name), year=year)
        except PlanParseError as error:
            raise CommandError(f"{file}: {error}") from error
        if not parsed.title and not parsed.sections and not parsed.months:
            raise CommandError(_("%(file)s 中没有读到计划内容（标题、章节或月度安排）。") % {"file": file})

        target = None
        if not dry_run:
            if not unit or not year:
                raise CommandError(_("保存计划需要 --unit 和 --year（只想查看结果请加 --dry-run）。"))
            target = OrgUnit.objects.filter(code=unit).first()
            if target is None:
                raise CommandError(_("没有代码为 %(code)s 的单位。") % {"code": unit})

        if json:
            self.stdout.write(_dump(parsed.as_json()))
        else:
            self._describe(parsed)

        if dry_run:
            return
        try:
            plan = plan_import(unit=target, year=year, parsed=parsed)
        except PlanError as error:
            raise CommandError(str(error)) from error
        message = _("已保存为草稿计划 #%(pk)s：%(title)s") % {"pk": plan.pk, "title": plan.title}
        # With --json, stdout stays pure JSON for the reader; the confirmation goes to stderr.
        (self.stderr if json else self.stdout).write(self.style.SUCCESS(message))

    def _describe(self, parsed):
        write = self.stdout.write
        write(_("标题：%(title)s") % {"title": parsed.title or _("（未识别）")})
        write(_("章节：%(count)s 个") % {"count": len(parsed.sections)})
        months = "，".join(f"{_month_name(m)}:{len(m.items)}" for m in parsed.months)
        write(_("月度安排：%(months)s（共 %(count)s 项）") % {"months": months or "-", "count": parsed.item_count})
        for suggestion in parsed.suggested:
            write(
                _("  推测：%(month)s月（%(festival)s）%(text)s")
                % {"month": suggestion.month, "festival": suggestion.festival_name, "text": suggestion.text}
            )
        for target in parsed.targets:
            write(f"  {target.op} {target.value} {target.measure}  {target.text}")


def _month_name(month):
    if month.next_year:
        return _("次年%(month)s月") % {"month": month.month}
    return f"{month.month}月" if month.month else _("全年")


def _dump(data):
    return json.dumps(data, ensure_ascii=False, indent=2)
