from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import documents, selectors, services
from assessments.documents import notice_docx, ranking_xlsx
from assessments.forms import (
    CriterionForm,
    EvidenceForm,
    ObjectionAnswerForm,
    ObjectionForm,
    RoundForm,
    SchemeForm,
    VisitForm,
)
from assessments.models import CheckStatus, Criterion, Evidence, Objection, Round, RoundStatus, Scheme, SelfCheck
from core.files import serve
from core.forms import add_service_error
from core.language import in_site_language
from core.pagination import paginate
from core.tables import XLSX_TYPE
from orgs.access import current_unit_or_404, has_permission, permissions_on
from orgs.models import OrgUnit


def _today():
    return timezone.localdate()


def _visible_check(request, pk):
    return get_object_or_404(
        SelfCheck.objects.visible_to(request.user, "assessments.view").select_related(
            "round__unit", "round__scheme", "unit"
        ),
        pk=pk,
    )


def _reviewer_unit(request):
    unit = request.unit
    if unit is None or not unit.numchild or not has_permission(request.user, "assessments.review", unit):
        raise PermissionDenied
    return unit


@login_required
def index(request):
    unit = current_unit_or_404(request, "assessments.view")
    perms = permissions_on(request.user, unit)
    reviewer = "assessments.review" in perms and unit.numchild > 0
    rounds = list(selectors.rounds_for(request.user, unit).annotate(entries=Count("checks")))
    own = {
        c.round_id: c
        for c in SelfCheck.objects.visible_to(request.user, "assessments.view").filter(
            unit=unit, round__in=[r.pk for r in rounds]
        )
    }
    context = {
        "unit": unit,
        "reviewer": reviewer,
        "can_enter": "assessments.manage" in perms,
        "organized": [r for r in rounds if r.unit_id == unit.pk],
        "from_above": [(r, own.get(r.pk)) for r in rounds if r.unit_id != unit.pk],
        "schemes": Scheme.objects.visible_to(request.user, "assessments.view")
        .filter(unit=unit)
        .annotate(criteria_count=Count("criteria"))
        if reviewer
        else [],
        "titles": selectors.titles_held(request.user, today=_today()).in_subtree(unit)[:20],
    }
    return render(request, "assessments/index.html", context)


# --- schemes -----------------------------------------------------------------------------------


@login_required
def scheme_create(request):
    unit = _reviewer_unit(request)
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scheme = services.scheme_create(
            unit=unit,
            template=form.cleaned_data["template"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )
        messages.success(request, _("考核方案已创建。"))
        return redirect("assessments:scheme", scheme.pk)
    return render(request, "assessments/scheme_form.html", {"form": form})


@login_required
def scheme_detail(request, pk):
    scheme = get_object_or_404(
        Scheme.objects.visible_to(request.user, "assessments.view").select_related("unit"), pk=pk
    )
    criteria = list(scheme.criteria.all())
    # Criteria are fixed once a round uses the scheme: every self-check of a round scores the same lines.
    in_use = scheme.rounds.exists()
    can_edit = has_permission(request.user, "assessments.review", scheme.unit) and not in_use
    form = CriterionForm(request.POST or None, initial={"order": len(criteria) + 1})
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            criterion = form.save(commit=False)
            criterion.scheme = scheme
            try:
                services.criterion_save(criterion=criterion)
            except services.AssessmentError as error:  # a round opened since the page was read
                messages.error(request, str(error))
            else:
                messages.success(request, _("已添加考核细则。"))
            return redirect("assessments:scheme", scheme.pk)
    groups = {}
    for c in criteria:
        groups.setdefault(c.group, []).append(c)
    context = {
        "scheme": scheme,
        "groups": groups,
        "total": sum((c.points for c in criteria), Decimal(0)),
        "can_edit": can_edit,
        "can_open": has_permission(request.user, "assessments.review", scheme.unit),
        "in_use": in_use,
        "form": form,
        "rules": services.rules.rules(),
    }
    return render(request, "assessments/scheme.html", context)


def _editable_criterion(request, pk):
    """A criterion the user may change: of a scheme of their own federation that no round uses yet."""
    criterion = get_object_or_404(
        Criterion.objects.filter(
            scheme__in=Scheme.objects.visible_to(request.user, "assessments.review")
        ).select_related("scheme__unit"),
        pk=pk,
    )
    scheme = criterion.scheme
    if not has_permission(request.user, "assessments.review", scheme.unit) or scheme.rounds.exists():
        raise Http404
    return criterion


@login_required
def criterion_edit(request, pk):
    criterion = _editable_criterion(request, pk)
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(criterion=form.save(commit=False))
        except services.AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("考核细则已修改。"))
        return redirect("assessments:scheme", criterion.scheme_id)
    return render(request, "assessments/criterion_form.html", {"form": form, "criterion": criterion})


@login_required
def criterion_delete(request, pk):
    criterion = _editable_criterion(request, pk)
    scheme = criterion.scheme
    if request.method == "POST":
        try:
            services.criterion_delete(criterion=criterion)
        except services.AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已删除考核细则。"))
        return redirect("assessments:scheme", scheme.pk)
    return render(request, "assessments/criterion_delete.html", {"criterion": criterion})


# --- rounds ------------------------------------------------------------------------------------


@login_required
def round_create(request, scheme_pk):
    scheme = get_object_or_404(Scheme.objects.visible_to(request.user, "assessments.review"), pk=scheme_pk)
    if not has_permission(request.user, "assessments.review", scheme.unit):
        raise Http404
    units = OrgUnit.objects.get_children(scheme.unit).filter(is_active=True)
    year = _today().year
    form = RoundForm(
        request.POST or None,
        units=units,
        scheme=scheme,
        today=_today(),
        initial={"year": year, "title": _("%(year)s年%(scheme)s评选") % {"year": year, "scheme": scheme.title}},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_open(
                scheme=scheme,
                unit=scheme.unit,
                year=data["year"],
                title=data["title"],
                deadline=data["deadline"],
                award_title=data["award_title"],
                award_years=data["award_years"],
                award_min_score=data["award_min_score"],
                invited=list(data["invited"]),
                publicity_workdays=data["publicity_workdays"],
            )
        except services.AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("考核评比已发起。"))
            return redirect("assessments:round", round_.pk)
    return render(request, "assessments/round_form.html", {"form": form, "scheme": scheme})


@login_required
def round_edit(request, pk):
    """Correct an open round's terms: the deadline put off, a title mistyped, more units invited."""
    round_ = get_object_or_404(
        Round.objects.visible_to(request.user, "assessments.review").select_related("unit", "scheme"), pk=pk
    )
    if not has_permission(request.user, "assessments.review", round_.unit) or not round_.is_open:
        raise Http404
    invited = list(round_.invited.order_by("path"))
    units = OrgUnit.objects.get_children(round_.unit).filter(is_active=True).exclude(pk__in=[u.pk for u in invited])
    form = RoundForm(request.POST or None, instance=round_, units=units, scheme=round_.scheme, today=_today())
    if invited:
        form.fields["invited"].help_text = _("已邀请：%(units)s（不能取消）。可以再邀请其他单位。") % {
            "units": _("、").join(u.name for u in invited)
        }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.round_update(
                round=round_,
                invited=list(data["invited"]),
                **{name: data[name] for name in services.ROUND_TERMS},
            )
        except services.AssessmentError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("评比已修改。"))
            return redirect("assessments:round", round_.pk)
    return render(request, "assessments/round_form.html", {"form": form, "scheme": round_.scheme, "round": round_})


@login_required
def round_detail(request, pk, *, objection_form=None, answer_forms=None):
    round_ = get_object_or_404(
        Round.objects.visible_to(request.user, "assessments.view").select_related("unit", "scheme"), pk=pk
    )
    checks = list(selectors.round_checks(request.user, round_))
    organizer = has_permission(request.user, "assessments.review", round_.unit)
    seen = {c.unit_id for c in checks}
    waiting = [u for u in round_.invited.all().order_by("path") if u.pk not in seen] if organizer else []
    unit = request.unit
    own = next((c for c in checks if unit and c.unit_id == unit.pk), None)
    may_enter = (
        round_.is_open
        and own is None
        and unit is not None
        and unit.path.startswith(round_.unit.path)
        and unit.pk != round_.unit_id
        and has_permission(request.user, "assessments.manage", unit)
    )
    context = {
        "round": round_,
        "checks": checks,
        "waiting": waiting,
        "organizer": organizer,
        "own": own,
        "may_enter": may_enter,
        "ranking": list(selectors.ranking(request.user, round_)),
        "submitted": sum(1 for c in checks if c.status == CheckStatus.SUBMITTED),
        "today": _today(),
        "publicity_over": round_.publicity_over(_today()),
        **_objections(request, round_, organizer, objection_form, answer_forms or {}),
    }
    return render(request, "assessments/round.html", context)


def _objections(request, round_, organizer, objection_form, answer_forms):
    """The 公示's objections: all of them, each with its answer form, for the organizer; a participant's
    own unit's, with the form to raise one while the period runs."""
    unit = request.unit
    if organizer:
        # Each objection with its own answer form beside it: two forms under one heading were answered
        # the wrong way round (an upheld answer withdraws the whole result).
        objections = []
        for o in round_.objections.select_related("raised_unit", "raised_by", "selfcheck__unit"):
            form = None
            if not o.is_answered and round_.is_publicizing:
                form = answer_forms.get(o.pk) or ObjectionAnswerForm(prefix=f"objection-{o.pk}")
            objections.append((o, form))
        return {"objections": objections}
    if unit is None or unit.pk == round_.unit_id or not has_permission(request.user, "assessments.manage", unit):
        return {}
    objections = [(o, None) for o in round_.objections.filter(raised_unit=unit).select_related("selfcheck__unit")]
    may_object = round_.may_object(_today())
    form = objection_form or (ObjectionForm(round=round_) if may_object else None)
    return {"objections": objections, "objection_form": form}


@login_required
@require_POST
def round_enter(request, pk):
    round_ = get_object_or_404(Round.objects.visible_to(request.user, "assessments.view").select_related("unit"), pk=pk)
    unit = current_unit_or_404(request, "assessments.manage")
    try:
        check = services.selfcheck_start(round=round_, unit=unit)
    except services.AssessmentError as error:
        messages.error(request, str(error))
        return redirect("assessments:round", round_.pk)
    return redirect("assessments:check", check.pk)


@login_required
def round_close(request, pk):
    """The organizer's two last steps: publish the ranking for its 公示, then, once the period is over and
    every objection answered, confer the titles. One page: what it does depends on where the round is."""
    round_ = get_object_or_404(
        Round.objects.visible_to(request.user, "assessments.review").select_related("unit"), pk=pk
    )
    if not has_permission(request.user, "assessments.review", round_.unit) or round_.status == RoundStatus.CLOSED:
        raise Http404
    counts = round_.checks.aggregate(
        reviewed=Count("pk", filter=Q(status=CheckStatus.REVIEWED)),
        submitted=Count("pk", filter=Q(status=CheckStatus.SUBMITTED)),
        drafts=Count("pk", filter=Q(status=CheckStatus.DRAFT)),
    )
    unanswered = round_.objections.filter(answered_on__isnull=True).count()
    if request.method == "POST":
        step = services.round_publicize if round_.is_open else services.round_close
        try:
            step(round=round_, by=request.user, today=_today())
        except services.AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("评比结果已公示，已通知各单位。")
                if round_.is_open
                else _("公示期满，称号已授予，结果已通知各单位。"),
            )
        return redirect("assessments:round", round_.pk)
    context = {"round": round_, "counts": counts, "unanswered": unanswered, "today": _today()}
    return render(request, "assessments/round_close.html", context)


@login_required
@require_POST
def objection_add(request, pk):
    round_ = get_object_or_404(Round.objects.visible_to(request.user, "assessments.view"), pk=pk)
    unit = request.unit
    if unit is None or not has_permission(request.user, "assessments.manage", unit) or unit.pk == round_.unit_id:
        raise Http404
    form = ObjectionForm(request.POST, round=round_)
    if form.is_valid():
        try:
            services.objection_raise(
                round=round_,
                text=form.cleaned_data["text"],
                selfcheck=form.cleaned_data["selfcheck"],
                by=request.user,
                unit=unit,
                today=_today(),
            )
        except services.AssessmentError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("异议已提交，组织单位答复后会通知您。"))
            return redirect("assessments:round", round_.pk)
    return round_detail(request, round_.pk, objection_form=form)


@login_required
@require_POST
def objection_answer(request, pk):
    objection = get_object_or_404(
        Objection.objects.filter(round__in=Round.objects.visible_to(request.user, "assessments.review")).select_related(
            "round__unit"
        ),
        pk=pk,
    )
    if not has_permission(request.user, "assessments.review", objection.round.unit):
        raise Http404
    form = ObjectionAnswerForm(request.POST, prefix=f"objection-{objection.pk}")
    if form.is_valid():
        try:
            services.objection_answer(
                objection=objection,
                answer=form.cleaned_data["answer"],
                upheld=form.cleaned_data["upheld"],
                by=request.user,
                today=_today(),
            )
        except services.AssessmentError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("异议成立：结果已撤回，请重新审核后再公示。") if form.cleaned_data["upheld"] else _("已答复。"),
            )
            return redirect("assessments:round", objection.round_id)
    return round_detail(request, objection.round_id, answer_forms={objection.pk: form})


def _closed_round_for(request, pk):
    round_ = get_object_or_404(Round.objects.visible_to(request.user, "assessments.view").select_related("unit"), pk=pk)
    rows = list(selectors.ranking(request.user, round_))
    if not rows:
        raise Http404
    return round_, rows


@login_required
@in_site_language
def round_ranking_xlsx(request, pk):
    round_, rows = _closed_round_for(request, pk)
    response = HttpResponse(ranking_xlsx(round_, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = _attachment(f"{round_.title}.xlsx")
    return response


@login_required
@in_site_language
def round_notice_docx(request, pk):
    round_, rows = _closed_round_for(request, pk)
    response = HttpResponse(
        notice_docx(round_, rows),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = _("关于%(title)s结果的公示.docx") if round_.is_publicizing else _("关于%(title)s结果的通报.docx")
    response["Content-Disposition"] = _attachment(name % {"title": round_.title})
    return response


def _attachment(filename):
    from django.utils.http import content_disposition_header

    from core.tables import file_name

    return content_disposition_header(True, file_name(filename))


# --- self-checks -------------------------------------------------------------------------------


def _decimal(text):
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return "bad"
    return value if value.is_finite() else "bad"  # "NaN" and "Infinity" are Decimals, not scores


@login_required
def check_detail(request, pk):
    check = _visible_check(request, pk)
    may_write = services.can_manage(request.user, check)
    lines = services.lines(check)
    error = ""
    if request.method == "POST":
        if not may_write:
            raise Http404
        error = _save_scores(request, check, lines)
        if not error:
            if "submit" in request.POST:
                try:
                    services.selfcheck_submit(check=check, by=request.user)
                except services.AssessmentError as failure:
                    error = str(failure)
                else:
                    messages.success(request, _("自评已提交上级审核。"))
                    return redirect("assessments:check", check.pk)
            else:
                messages.success(request, _("自评已保存。"))
                return redirect("assessments:check", check.pk)
        lines = services.lines(check)
    return _check_page(request, check, lines, error=error)


@login_required
@in_site_language
def self_evaluation_docx(request, pk):
    """The unit's 自评报告 to hand in or print: for whoever may read the self-check page."""
    check = _visible_check(request, pk)
    response = HttpResponse(
        documents.self_evaluation_docx(check, today=_today()),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = _attachment(documents.self_evaluation_filename(check))
    return response


def _check_page(request, check, lines, *, error="", evidence_form=None):
    """The self-check page; the scores sent back with ``error``, or ``evidence_form`` sent back with its own."""
    # A draft is filled in while its round is open; the services refuse it otherwise, saying why.
    editable = services.can_manage(request.user, check) and check.is_draft and check.round.is_open
    context = {
        "check": check,
        "round": check.round,
        "rows": _check_rows(lines, request.POST if error else None),
        # What was typed when the scores come back refused; the saved text otherwise (an evidence error too).
        "summary_value": request.POST.get("summary", "") if error else check.summary,
        "claimed_total": services.total(line.claimed for line in lines),
        "points_total": services.total(line.criterion.points for line in lines),
        "editable": editable,
        "reviewer": check.status != CheckStatus.DRAFT and services.can_review(request.user, check),
        "evidence": list(check.evidence.select_related("criterion")),
        "evidence_form": (evidence_form or EvidenceForm(scheme=check.round.scheme)) if editable else None,
        "visits": list(check.visits.all()),
        "error": error,
    }
    return render(request, "assessments/check.html", context)


def _check_rows(lines, posted):
    """(line, score typed, note typed): what the unit typed when the page comes back with an error."""
    rows = []
    for line in lines:
        cid = line.criterion.pk
        if posted is None:
            rows.append((line, "" if line.score.claimed is None else line.score.claimed, line.score.note))
        else:
            rows.append((line, posted.get(f"score_{cid}", ""), posted.get(f"note_{cid}", "")))
    return rows


def _review_rows(lines, posted):
    """(line, decision, score typed, reason typed) for the review form."""
    rows = []
    for line in lines:
        cid = line.criterion.pk
        if posted is None:
            decision = "adjust" if line.score.agreed is False else "agree"
            score = "" if line.score.reviewed is None else line.score.reviewed
            rows.append((line, decision, score, line.score.reason))
        else:
            rows.append(
                (
                    line,
                    posted.get(f"decision_{cid}", "agree"),
                    posted.get(f"score_{cid}", ""),
                    posted.get(f"reason_{cid}", ""),
                )
            )
    return rows


def _save_scores(request, check, lines):
    scores, notes = {}, {}
    for line in lines:
        cid = line.criterion.pk
        notes[cid] = request.POST.get(f"note_{cid}", "")
        if not line.by_rule:
            value = _decimal(request.POST.get(f"score_{cid}"))
            if value == "bad":
                return _("“%(title)s”的自评分应是数字。") % {"title": line.criterion.title}
            scores[cid] = value
    try:
        services.selfcheck_save(check=check, scores=scores, notes=notes, summary=request.POST.get("summary", ""))
    except services.AssessmentError as failure:
        return str(failure)
    return ""


@login_required
@require_POST
def evidence_add(request, pk):
    check = _visible_check(request, pk)
    if not services.can_manage(request.user, check):
        raise Http404
    form = EvidenceForm(request.POST, request.FILES, scheme=check.round.scheme)
    if form.is_valid():
        try:
            services.evidence_add(
                check=check,
                by=request.user,
                criterion=form.cleaned_data["criterion"],
                text=form.cleaned_data["text"],
                file=form.cleaned_data["file"],
            )
        except services.AssessmentError as error:  # about the check's state: the form may no longer be offered
            messages.error(request, str(error))
        else:
            messages.success(request, _("已添加佐证材料。"))
        return redirect("assessments:check", check.pk)
    # The page again with the description typed and the field that is wrong (a file is chosen again).
    return _check_page(request, check, services.lines(check), evidence_form=form)


@login_required
def evidence_file(request, pk):
    item = get_object_or_404(
        Evidence.objects.filter(selfcheck__in=SelfCheck.objects.visible_to(request.user, "assessments.view")),
        pk=pk,
    )
    return serve(item.file, as_attachment=not item.is_image)


# --- review ------------------------------------------------------------------------------------


@login_required
def check_review(request, pk):
    check = _visible_check(request, pk)
    if not services.can_review(request.user, check) or check.status == CheckStatus.DRAFT:
        raise Http404
    lines = services.lines(check)
    error = ""
    if request.method == "POST":
        if check.status != CheckStatus.SUBMITTED:
            raise Http404
        decisions, error = _decisions(request, lines)
        if not error:
            try:
                services.selfcheck_review(check=check, by=request.user, decisions=decisions)
            except services.AssessmentError as failure:
                error = str(failure)
            else:
                messages.success(request, _("审核完成。"))
                return redirect("assessments:round", check.round_id)
    return _review_page(request, check, lines, error=error)


def _review_page(request, check, lines, *, error="", visit_form=None):
    """The review page; the scores sent back with ``error``, or ``visit_form`` sent back with its own."""
    context = {
        "check": check,
        "round": check.round,
        "rows": _review_rows(lines, request.POST if error else None),
        "final_total": services.total(line.final for line in lines),
        "evidence": list(check.evidence.select_related("criterion")),
        "visits": list(check.visits.all()),
        "visit_form": visit_form or VisitForm(initial={"visited_on": _today()}),
        "error": error,
        "can_review": check.status == CheckStatus.SUBMITTED and check.round.is_open,
    }
    return render(request, "assessments/review.html", context)


def _decisions(request, lines):
    decisions = {}
    for line in lines:
        cid = line.criterion.pk
        if request.POST.get(f"decision_{cid}", "agree") == "agree":
            decisions[cid] = services.Decision(agreed=True)
            continue
        value = _decimal(request.POST.get(f"score_{cid}"))
        if value == "bad":
            return {}, _("“%(title)s”的审核分应是数字。") % {"title": line.criterion.title}
        decisions[cid] = services.Decision(agreed=False, score=value, reason=request.POST.get(f"reason_{cid}", ""))
    return decisions, ""


@login_required
@require_POST
def visit_add(request, pk):
    check = _visible_check(request, pk)
    if not services.can_review(request.user, check):
        raise Http404
    form = VisitForm(request.POST)
    if not form.is_valid():  # the review page again, with the notes typed and the field that is wrong
        return _review_page(request, check, services.lines(check), visit_form=form)
    try:
        services.visit_add(check=check, **form.cleaned_data)
    except services.AssessmentError as error:  # about the review's state: the form may no longer be offered
        messages.error(request, str(error))
    else:
        messages.success(request, _("已登记实地检查。"))
    return redirect("assessments:review", check.pk)


@login_required
def titles(request):
    unit = current_unit_or_404(request, "assessments.view")
    awarded = (
        SelfCheck.objects.visible_to(request.user, "assessments.view")
        .in_subtree(unit)
        .filter(awarded_on__isnull=False)
        .select_related("unit", "round")
        .order_by("expires_on", "unit__path")
    )
    return render(request, "assessments/titles.html", {"page": paginate(request, awarded), "today": _today()})
