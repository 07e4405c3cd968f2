"""Word documents of a congress session in the official layout (core.officialdoc): the notice
convening it, the session's documents (agenda, reports, resolutions, minutes), and the report on
how the proposals of the session were handled, drafted for the next session."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.officialdoc import OfficialDocument, chinese_date
from core.tables import file_name
from democracy.models import Proposal, ProposalStatus, SessionStatus
from democracy.services import congress as congress_svc
from democracy.services import proposals as proposal_svc

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Tables of 156 mm (the text block), each figure column wide enough for its header on one line.
VOTE_WIDTHS = [76, 18, 18, 18, 26]  # 表决事项, 赞成, 反对, 弃权, 结果
HANDLING_WIDTHS = [45, 16, 16, 20, 24, 35]  # 主办部门, 收到, 立案, 已答复, 按期答复, 满意和基本满意


def download(data, filename):
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, file_name(filename))
    return response


def session_notice(session):
    """关于召开……的通知."""
    title = _("关于召开%(name)s的通知") % {"name": session.name}
    doc = OfficialDocument(title)
    doc.paragraph(
        _("经研究，定于%(day)s在%(place)s召开%(name)s。现将有关事项通知如下。")
        % {"day": chinese_date(session.held_on), "place": session.place or _("学校会议室"), "name": session.name}
    )
    doc.heading(1, _("会议议程"))
    for line in session.agenda_lines() or [_("（议程待定）")]:
        doc.heading(2, line, numbered=True)
    doc.heading(1, _("提案征集"))
    doc.paragraph(
        _("提案征集时间为%(start)s至%(end)s。每件提案须有%(n)s名以上代表附议，一事一案。")
        % {
            "start": chinese_date(session.proposals_open_on),
            "end": chinese_date(session.proposals_close_on),
            "n": session.congress.cosigners_required,
        }
    )
    doc.heading(1, _("有关要求"))
    doc.paragraph(_("全体代表准时出席，不得无故缺席；因故不能出席的，须提前向工会请假。"))
    doc.signature(session.unit.name, notice_date(session))
    return doc.to_bytes(), f"{title}.docx"


def notice_date(session):
    """The day the notice is signed. The session stores no issue date, and the notice announces the
    proposal window as starting on proposals_open_on, so it was issued by then (and never after the
    meeting): downloading it again for the archive gives the same date, not today's."""
    return min(session.proposals_open_on, session.held_on)


def session_documents(session):
    """The session's documents: agenda, reports, attendance, resolutions and minutes."""
    title = _("%(name)s会议文件") % {"name": session.name}
    doc = OfficialDocument(title)
    quorum = congress_svc.quorum_of(session)
    doc.heading(1, _("会议议程"))
    for line in session.agenda_lines():
        doc.heading(2, line)
    if session.report_lines():
        doc.heading(1, _("会议报告"))
        for line in session.report_lines():
            doc.heading(2, line)
    doc.heading(1, _("代表出席情况"))
    if session.status != SessionStatus.CLOSED and not quorum.present:
        # Prepared before the meeting: nobody has checked in yet, which is no failed quorum.
        doc.paragraph(_("本届代表%(total)s人。会议尚未召开，出席情况待代表签到后统计。") % {"total": quorum.total})
    else:
        doc.paragraph(
            _("本届代表%(total)s人，实到%(present)s人，%(verdict)s。")
            % {
                "total": quorum.total,
                "present": quorum.present,
                "verdict": _("超过规定比例，会议有效") if quorum.reached else _("未达到规定比例"),
            }
        )
    resolutions = list(session.resolutions.all())
    if resolutions:
        doc.heading(1, _("表决结果"))
        doc.table(
            [_("表决事项"), _("赞成"), _("反对"), _("弃权"), _("结果")],
            [
                # A motion not voted on yet has no figures, not zero votes.
                [r.title]
                + ([r.votes_for, r.votes_against or 0, r.votes_abstain or 0] if r.votes_for is not None else ["—"] * 3)
                + [r.get_status_display()]
                for r in resolutions
            ],
            widths=VOTE_WIDTHS,
            figures=[1, 2, 3],
        )
    if session.minutes:
        doc.heading(1, _("会议纪要"))
        doc.paragraph(session.minutes)
    doc.signature(session.unit.name, session.held_on)
    return doc.to_bytes(), f"{title}.docx"


def proposals_report(session):
    """关于……提案办理情况的报告: figures, per department, and each proposal with its answer.

    The figures are the statistics page's (handling_figures over the session's proposals), and each
    proposal received appears in exactly one section: accepted, not accepted (rejected, merged, turned
    into a suggestion) or not yet vetted, so that the counts and the lists agree."""
    title = _("关于%(name)s提案办理情况的报告") % {"name": session.name}
    doc = OfficialDocument(title)
    received = Proposal.objects.filter(session=session).received()  # as the session page counts them
    items = received.proposals()
    [total] = proposal_svc.handling_figures(items)
    # Suggestions of a session are proposals the committee turned into suggestions: received as proposals.
    [turned] = proposal_svc.handling_figures(received.suggestions())
    doc.heading(1, _("基本情况"))
    doc.paragraph(_basic_figures(total, turned))
    if total.accepted:  # with none handed to a department, the table would have nothing to say
        rows = proposal_svc.handling_figures(items, group_by="department")
        table = [[r.label, r.received, r.accepted, r.answered, r.on_time, r.satisfied] for r in rows]
        # Those turned into suggestions were received as proposals (the opening counts them) and are
        # handled as suggestions: a row of their own, so that the rows add up to the opening's total.
        if turned.received:
            table.append([_("转为合理化建议"), turned.received, 0, "—", "—", "—"])
        table.append(
            [
                total.label,
                total.received + turned.received,
                total.accepted,
                total.answered,
                total.on_time,
                total.satisfied,
            ]
        )
        doc.heading(1, _("各部门办理情况"))
        doc.table(
            [_("主办部门"), _("收到"), _("立案"), _("已答复"), _("按期答复"), _("满意和基本满意")],
            table,
            widths=HANDLING_WIDTHS,
            figures=[1, 2, 3, 4, 5],
            total=True,
        )
    listed = list(received.order_by("number", "pk").select_related("author", "merged_into"))
    accepted = [p for p in listed if p.is_proposal and p.status in proposal_svc.ACCEPTED]
    if accepted:
        doc.heading(1, _("提案及答复"))
    answers = proposal_svc.latest_answers(accepted)
    for proposal in accepted:
        doc.heading(2, _("第%(n)s号 %(title)s") % {"n": proposal.number, "title": proposal.title}, numbered=False)
        answer = answers.get(proposal.pk)
        handling = answer.text if answer else _("正在办理。")
        if proposal.status == ProposalStatus.REOPENED:
            # Its last answer is not the outcome: the proposer was not satisfied and it is being handled again.
            handling = _("%(answer)s（提案人对这次答复不满意，已重新交办，正在办理。）") % {"answer": handling}
        doc.paragraph(
            _("主办：%(department)s。办理情况：%(answer)s") % {"department": proposal.department, "answer": handling}
        )
    not_accepted = [
        p for p in listed if not p.is_proposal or p.status in (ProposalStatus.REJECTED, ProposalStatus.MERGED)
    ]
    if not_accepted:
        doc.heading(1, _("未立案提案"))
        for proposal in not_accepted:
            outcome = _("转为建议") if not proposal.is_proposal else proposal.get_status_display()
            doc.paragraph(f"{proposal.title}：{outcome}，{proposal.vetting_reason}")
    pending = [p for p in listed if p.is_proposal and p.status in (ProposalStatus.COSIGNING, ProposalStatus.SUBMITTED)]
    if pending:
        doc.heading(1, _("尚未审查的提案"))
        for proposal in pending:
            doc.paragraph(
                _("%(title)s（提案人：%(author)s）：%(status)s")
                % {
                    "title": proposal.title,
                    "author": proposal.author.full_name,
                    "status": proposal.get_status_display(),
                }
            )
    doc.signature(session.unit.name, timezone.localdate())
    return doc.to_bytes(), f"{title}.docx"


def _basic_figures(total, turned):
    """The report's opening figures; a clause only for what has happened, so that a session still
    collecting proposals is not reported as having answered none."""
    received = total.received + turned.received
    if not received:
        return _("本次会议没有收到提案。")
    vetting = [
        (total.accepted, _("立案%(n)s件")),
        (turned.received, _("转为合理化建议%(n)s件")),
        (total.merged, _("并案%(n)s件")),
        (total.rejected, _("不予立案%(n)s件")),
        (total.to_vet, _("待审查%(n)s件")),
        (total.cosigning, _("正在征集附议%(n)s件")),
    ]
    clauses = pgettext("list separator", "，").join(text % {"n": n} for n, text in vetting if n)
    text = _("本次会议共收到提案%(received)s件：%(clauses)s。") % {"received": received, "clauses": clauses}
    if total.accepted:
        text += _(
            "立案提案已答复%(answered)s件，其中按期答复%(on_time)s件；"
            "提案人评价%(rated)s件，满意和基本满意%(satisfied)s件。"
        ) % {
            "answered": total.answered,
            "on_time": total.on_time,
            "rated": total.rated,
            "satisfied": total.satisfied,
        }
    return text
