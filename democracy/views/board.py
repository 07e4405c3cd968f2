"""Affairs disclosure (the internal board, the public page) and the opinion box."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import refusal_on_form
from core.language import written_date
from core.pagination import paginate
from core.params import year_param
from democracy.forms import DisclosureForm, OpinionForm, PublishForm, ReplyForm, WithdrawForm
from democracy.models import DisclosureItem, Opinion
from democracy.services import DemocracyError
from democracy.services import disclosure as disclosure_svc
from democracy.services import opinions as opinion_svc
from democracy.views.common import MANAGE, home_union, refused, require, today
from orgs.access import has_permission
from orgs.models import OrgUnit


@login_required
def disclosure_list(request):
    union = home_union(request)
    can_manage = has_permission(request.user, MANAGE, union)
    items = DisclosureItem.objects.readable_by(request.user).filter(unit=union).select_related("corrects", "correction")
    if not can_manage:
        items = items.published()
    day = today()
    # The archive: every published item stays, found by the year it was due.
    years = sorted({d.year for d in items.dates("due_on", "year")}, reverse=True)
    year = year_param(request.GET.get("year"))
    if year is not None:
        items = items.filter(due_on__year=year)
    return render(
        request,
        "democracy/disclosure_list.html",
        {
            "page": paginate(request, items.order_by("-due_on", "pk")),
            "overdue": items.overdue(day).count() if can_manage else 0,
            "today": day,
            "union": union,
            "can_manage": can_manage,
            "years": years,
            "year": year,
        },
    )


@login_required
def disclosure_create(request):
    union = home_union(request)
    require(request.user, MANAGE, union)
    form = DisclosureForm(request.POST or None, unit=union, today=today())
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.unit = union
        item.save()
        messages.success(request, _("已新增“%(title)s”，到期前请公开。") % {"title": item.title})
        return redirect("democracy:disclosure")
    return render(
        request,
        "democracy/form.html",
        {"form": form, "title": _("新增公开事项"), "cancel_url": reverse("democracy:disclosure")},
    )


@login_required
def disclosure_publish(request, pk):
    item = get_object_or_404(DisclosureItem.objects.visible_to(request.user, MANAGE), pk=pk)
    if item.is_published:  # an old link, or a second officer: the form would take text only to refuse it
        messages.info(
            request, _("“%(title)s”已于%(day)s公开。") % {"title": item.title, "day": written_date(item.published_on)}
        )
        return redirect("democracy:disclosure")
    form = PublishForm(request.POST or None, initial={"is_public": item.is_public, "content": item.content})
    if request.method == "POST" and form.is_valid():
        try:
            disclosure_svc.disclosure_publish(
                item=item,
                by=request.user,
                today=today(),
                content=form.cleaned_data["content"],
                is_public=form.cleaned_data["is_public"],
            )
        except DemocracyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已公开。"))
            return redirect("democracy:disclosure")
    context = {
        "form": form,
        "title": _("公开：%(title)s") % {"title": item.title},
        "submit_label": _("公开"),
        "cancel_url": reverse("democracy:disclosure"),
        # Publishing cannot be undone (the archive keeps it) and the external page needs no login.
        "confirm": _(
            "公开后立即生效，存档后不能修改；勾选了“对外公开”的，任何人无需登录即可在对外公开页看到。确定公开吗？"
        ),
    }
    return render(request, "democracy/form.html", context)


@login_required
def disclosure_edit(request, pk):
    item = get_object_or_404(DisclosureItem.objects.visible_to(request.user, MANAGE), pk=pk)
    if item.is_published:
        messages.error(request, _("已公开的事项存档后不能修改。"))
        return redirect("democracy:disclosure")
    form = DisclosureForm(request.POST or None, instance=item, today=today())
    if request.method == "POST" and form.is_valid():
        try:
            disclosure_svc.disclosure_update(item=form.save(commit=False), fields=list(form.changed_data) or ["title"])
        except DemocracyError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已保存。"))
        return redirect("democracy:disclosure")
    return render(
        request,
        "democracy/form.html",
        {"form": form, "title": _("修改公开事项"), "cancel_url": reverse("democracy:disclosure")},
    )


@login_required
@require_POST
def disclosure_delete(request, pk):
    item = get_object_or_404(DisclosureItem.objects.visible_to(request.user, MANAGE), pk=pk)
    try:
        disclosure_svc.disclosure_delete(item=item)
    except DemocracyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除“%(title)s”。") % {"title": item.title})
    return redirect("democracy:disclosure")


@login_required
def disclosure_withdraw(request, pk):
    item = get_object_or_404(DisclosureItem.objects.visible_to(request.user, MANAGE), pk=pk)
    if refusal := disclosure_svc.withdraw_refusal(item):
        messages.error(request, refusal)
        return redirect("democracy:disclosure")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disclosure_svc.disclosure_withdraw(item=item, by=request.user, reason=form.cleaned_data["reason"])
        except DemocracyError as error:
            if not refusal_on_form(request, form, error):
                return redirect("democracy:disclosure")
        else:
            messages.success(request, _("已撤下。公开栏只显示撤下的时间和原因，内容仅管理人员可见。"))
            return redirect("democracy:disclosure")
    context = {
        "form": form,
        "title": _("撤下：%(title)s") % {"title": item.title},
        "submit_label": _("撤下"),
        "cancel_url": reverse("democracy:disclosure"),
        "confirm": _("撤下后，对外公开页不再显示，会员在公开栏只看到撤下的时间和原因。确定撤下吗？"),
    }
    return render(request, "democracy/form.html", context)


@login_required
@require_POST
def disclosure_correct(request, pk):
    item = get_object_or_404(DisclosureItem.objects.visible_to(request.user, MANAGE), pk=pk)
    try:
        correction = disclosure_svc.disclosure_correct(item=item, today=today())
    except DemocracyError as error:
        messages.error(request, error.message)
        return redirect("democracy:disclosure")
    messages.success(request, _("已生成更正稿：请修改公开内容后公开。"))
    return redirect("democracy:disclosure_publish", correction.pk)


def public_board(request, code):
    """The external board: items marked public, for anyone, without logging in."""
    unit = get_object_or_404(OrgUnit.objects.filter(is_active=True), code=code)
    items = DisclosureItem.objects.public().filter(unit=unit).order_by("-published_on", "pk")
    return render(request, "democracy/public_board.html", {"unit": unit, "page": paginate(request, items)})


MY_OPINIONS = 20


@login_required
def opinion_box(request):
    """Write to the box (named or anonymous) and read the replies published with messages."""
    union = home_union(request)
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opinion_svc.opinion_send(
                unit=union,
                user=request.user,
                text=form.cleaned_data["text"],
                anonymous=form.cleaned_data["anonymous"],
                today=today(),
            )
        except DemocracyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("意见已投入意见箱。"))
            return redirect("democracy:opinions")
    published = Opinion.objects.readable_by(request.user).filter(unit=union, is_published=True)
    return render(
        request,
        "democracy/opinion_box.html",
        {
            "form": form,
            "union": union,
            # What she signed, with its answer once given, published or not (anonymous ones name nobody).
            "mine": Opinion.objects.filter(author=request.user, unit=union).order_by("-received_on")[:MY_OPINIONS],
            "page": paginate(request, published),
            "can_manage": has_permission(request.user, MANAGE, union),
        },
    )


@login_required
def opinion_inbox(request):
    union = home_union(request)
    require(request.user, MANAGE, union)
    opinions = Opinion.objects.visible_to(request.user, MANAGE).filter(unit=union).select_related("author")
    # Unanswered first (newest first), then the latest answered: NULLs placed explicitly, as PostgreSQL
    # and SQLite place them at opposite ends by default.
    page = paginate(request, opinions.order_by(F("replied_on").desc(nulls_first=True), "-received_on", "pk"))
    return render(
        request,
        "democracy/opinion_inbox.html",
        {"page": page, "rows": [(opinion, ReplyForm.for_opinion(opinion)) for opinion in page]},
    )


@login_required
@require_POST
def opinion_reply(request, pk):
    opinion = get_object_or_404(Opinion.objects.visible_to(request.user, MANAGE), pk=pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写答复内容。"))
        return redirect("democracy:opinion_inbox")
    data = form.cleaned_data
    try:
        opinion_svc.opinion_reply(
            opinion=opinion, reply=data["reply"], publish=data["publish"], today=today(), correcting=data["correcting"]
        )
    except DemocracyError as error:
        refused(request, error)
    else:
        messages.success(request, _("已更正答复。") if data["correcting"] else _("已答复。"))
    return redirect("democracy:opinion_inbox")
