"""The round's ranking as .xlsx, the notice of its results as .docx, and a unit's self-evaluation
(自评报告) as .docx, the paper it hands in with its self-check."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import services
from assessments.models import Visit
from core.officialdoc import OfficialDocument, chinese_date
from core.tables import DATE_WIDTH, Column, write_xlsx

SCORE = "0.0"  # as the page and the notice write a score: 87.0, not 87
# The notice's table of 156 mm (the text block): 名次, 单位, 得分.
SCORES_WIDTHS = [20, 106, 30]
# The self-evaluation's table of 156 mm: 类别, 考核内容, 分值, 自评得分, 自评说明及佐证; each header on one line.
SELF_EVALUATION_WIDTHS = [22, 45, 18, 22, 49]
EVIDENCE_TEXT_MAX = 40  # characters of an evidence's description quoted in the table; the page has the rest


def score_text(value) -> str:
    """A score as the page and the notice write it: 87.0, not 87; — for none given."""
    return "—" if value is None else f"{Decimal(value):.1f}"


def ranking_xlsx(round_, rows) -> bytes:
    columns = [
        Column(_("名次"), 8),
        Column(_("单位"), 32),
        Column(_("自评得分"), 12, SCORE),
        Column(_("审核得分"), 12, SCORE),
        Column(_("授予称号"), 24),
        Column(_("称号到期日"), DATE_WIDTH),
    ]
    body = ([check.rank, check.unit.name, check.self_total, check.total, *_award(round_, check)] for check in rows)
    return write_xlsx(columns, body, title=round_.title, numbered=False)


def _award(round_, check) -> list:
    """The title and its end: conferred, or during the 公示 proposed (拟授予) with no end yet."""
    if check.awarded_on:
        return [round_.award_title, check.expires_on]
    if round_.is_publicizing and check.total >= round_.award_min_score:
        return [_("拟授予：%(award)s") % {"award": round_.award_title}, ""]
    return ["", ""]


def _process(round_, rows) -> str:
    """How the results were reached: an inspection on site is named only for the units that had one."""
    visited_ids = set(Visit.objects.filter(selfcheck__in=[c.pk for c in rows]).values_list("selfcheck_id", flat=True))
    visited = [c.unit.name for c in rows if c.pk in visited_ids]
    values = {"organizer": round_.unit.name, "units": "、".join(visited)}
    if not visited:
        return _("经各单位自评、%(organizer)s审核，") % values
    if len(visited) == len(rows):
        return _("经各单位自评、%(organizer)s审核和实地检查，") % values
    return _("经各单位自评、%(organizer)s审核，并对%(units)s进行实地检查，") % values


def _facts(round_, rows) -> dict:
    """What the opening paragraph of the notice and of the 公示 says of the round."""
    return {
        "scheme": round_.scheme.title,
        "organizer": round_.unit.name,
        "title": round_.title,
        "process": _process(round_, rows),
        "count": len(rows),
        "min": round_.award_min_score,
    }


def _scores(document, rows):
    document.heading(1, _("评比得分和名次"))
    document.table(
        [_("名次"), _("单位"), _("得分")],
        [[str(c.rank), c.unit.name, score_text(c.total)] for c in rows],
        widths=SCORES_WIDTHS,
        figures=[0, 2],
    )


def notice_docx(round_, rows) -> bytes:
    """The 公示 while the round is publicizing, the 通报 once it is closed."""
    if round_.is_publicizing:
        return publicity_docx(round_, rows)
    title = _("关于%(title)s结果的通报") % {"title": round_.title}
    document = OfficialDocument(title)
    awarded = [c for c in rows if c.awarded_on]
    document.paragraph(
        _(
            "根据《%(scheme)s》，%(organizer)s组织开展了%(title)s。%(process)s"
            "共有%(count)s个单位参加评比，%(awarded)s个单位达到%(min)s分以上。现将结果通报如下。"
        )
        % {**_facts(round_, rows), "awarded": len(awarded)}
    )
    if awarded:
        document.heading(1, _("授予“%(award)s”称号的单位") % {"award": round_.award_title})
        document.paragraph(
            _("%(units)s。称号有效期%(years)s年，至%(date)s止，期满重新考核。")
            % {
                "units": "、".join(c.unit.name for c in awarded),
                "years": round_.award_years,
                "date": chinese_date(awarded[0].expires_on),
            }
        )
    _scores(document, rows)
    document.paragraph(_("希望受到表彰的单位珍惜荣誉、再接再厉，各基层工会对照标准查找不足，持续加强自身建设。"))
    document.signature(round_.unit.name, round_.closed_on)
    return document.to_bytes()


def publicity_docx(round_, rows) -> bytes:
    document = OfficialDocument(_("关于%(title)s结果的公示") % {"title": round_.title})
    proposed = [c for c in rows if c.total >= round_.award_min_score]
    document.paragraph(
        _(
            "根据《%(scheme)s》，%(organizer)s组织开展了%(title)s。%(process)s"
            "共有%(count)s个单位参加评比，%(proposed)s个单位达到%(min)s分以上。现将评比结果予以公示。"
        )
        % {**_facts(round_, rows), "proposed": len(proposed)}
    )
    if proposed:
        document.heading(1, _("拟授予“%(award)s”称号的单位") % {"award": round_.award_title})
        document.paragraph("、".join(c.unit.name for c in proposed) + _("。"))
    _scores(document, rows)
    document.paragraph(
        _(
            "公示期为%(start)s至%(end)s（%(days)s个工作日）。公示期间如有异议，请在工会工作台本评比页面提出，"
            "或以书面形式向%(organizer)s反映。"
        )
        % {
            "start": chinese_date(round_.publicity_from),
            "end": chinese_date(round_.publicity_until),
            "days": round_.publicity_workdays,
            "organizer": round_.unit.name,
        }
    )
    document.signature(round_.unit.name, round_.publicity_from)
    return document.to_bytes()


# --- the self-evaluation ---------------------------------------------------------------------------


def self_evaluation_filename(check) -> str:
    return _("%(unit)s%(round)s自评报告.docx") % {"unit": check.unit.name, "round": check.round.title}


def self_evaluation_docx(check, *, today) -> bytes:
    """The unit's 自评报告: each criterion with its points, the unit's score and what supports it, the
    self total, the unit's summary and the material for the whole self-check, signed by the unit on the
    day it submitted (``today`` while it is a draft). Scores as on the check page: a submitted
    self-check's as sent up, a draft's as they stand now (a rule's read from the record)."""
    round_ = check.round
    lines = services.lines(check)
    evidence = list(check.evidence.all())
    points = services.total(line.criterion.points for line in lines)
    self_total = check.self_total if check.self_total is not None else services.total(line.claimed for line in lines)
    document = OfficialDocument(_("%(unit)s\n%(round)s自评报告") % {"unit": check.unit.name, "round": round_.title})
    document.paragraph(
        _(
            "根据%(organizer)s《%(scheme)s》，我会对照考核细则逐项开展了自评。考核细则共%(count)s项，"
            "满分%(points)s分，自评得分%(total)s分。现将自评情况报告如下。"
        )
        % {
            "organizer": round_.unit.name,
            "scheme": round_.scheme.title,
            "count": len(lines),
            "points": score_text(points),
            "total": score_text(self_total),
        }
    )
    document.heading(1, _("逐项自评情况"))
    rows = [
        [
            line.criterion.group,
            line.criterion.title,
            score_text(line.criterion.points),
            score_text(line.claimed),
            _support(line, [e for e in evidence if e.criterion_id == line.criterion.pk]),
        ]
        for line in lines
    ]
    rows.append([_("合计"), "", score_text(points), score_text(self_total), ""])
    document.table(
        [_("类别"), _("考核内容"), _("分值"), _("自评得分"), _("自评说明及佐证")],
        rows,
        widths=SELF_EVALUATION_WIDTHS,
        figures=[2, 3],
        total=True,
        merge_first_column=True,
    )
    if check.summary.strip():
        document.heading(1, _("总体自评说明"))
        document.paragraph(check.summary)
    general = [e for e in evidence if e.criterion_id is None]
    if general:
        document.heading(1, _("其他佐证材料"))
        for number, item in enumerate(general, start=1):
            document.paragraph(f"{number}. {_evidence_text(item)}")
    signed_on = timezone.localdate(check.submitted_at) if check.submitted_at else today
    document.signature(check.unit.name, signed_on)
    return document.to_bytes()


def _support(line, evidence) -> str:
    """The table's last cell: the unit's note, what the record holds (a rule's line), and its material,
    one to a line."""
    parts = []
    if line.score.note.strip():
        parts.append(line.score.note.strip())
    if line.by_rule and line.value:
        parts.append(_("系统记录：%(value)s") % {"value": line.value})
    parts += [_("佐证：%(label)s") % {"label": label} for label, _url in line.evidence]
    parts += [_("佐证：%(material)s") % {"material": _evidence_text(item)} for item in evidence]
    return "\n".join(parts)


def _evidence_text(item) -> str:
    """An evidence as a line: its description (its first line, shortened) and the file's name."""
    text = item.text.strip().split("\n", 1)[0].strip()
    if len(text) > EVIDENCE_TEXT_MAX:
        text = text[: EVIDENCE_TEXT_MAX - 1] + "…"
    if text and item.filename:
        return _("%(text)s（附件：%(file)s）") % {"text": text, "file": item.filename}
    return text or item.filename
