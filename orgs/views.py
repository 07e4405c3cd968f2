from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import reset
from accounts.welcome import welcome_days, welcome_path
from core.forms import add_service_error, refusal_on_form
from core.pagination import paginate
from core.params import id_param, next_url
from orgs import services
from orgs.access import has_permission, has_permission_below, permissions_on
from orgs.forms import MoveForm, OfficerInviteForm, RoleAssignForm, UnitForm
from orgs.history import unit_changes, with_previous
from orgs.middleware import SESSION_KEY
from orgs.models import OrgUnit, RoleAssignment, parent_kinds
from orgs.picker import unit_suggestions
from orgs.roles import Role
from rollups import read as rollup_read

CHILDREN_SHOWN = 200  # in the tree; the unit's page lists the rest with pagination


def _get_unit(request, pk, permission):
    """The unit if ``request.user`` holds ``permission`` on it, else 404 (never 403: no hint it exists)."""
    return get_object_or_404(OrgUnit.objects.visible_to(request.user, permission), pk=pk)


def unit_breadcrumbs(user, unit):
    """Ancestors the user can see, then the unit itself: the trail shown above a unit's pages."""
    return [
        {"label": each.display_name, "url": reverse("orgs:detail", args=[each.pk])}
        for each in unit.ancestors_and_self()
        if has_permission(user, "orgs.view", each)
    ]


@login_required
def tree(request):
    root = request.unit
    if root is None:
        raise Http404
    units = OrgUnit.objects.visible_to(request.user, "orgs.view")
    root = get_object_or_404(units, pk=id_param(request.GET.get("root"), name="root") or root.pk)
    q = request.GET.get("q", "").strip()
    context = {"root": root, "q": q, "breadcrumbs": unit_breadcrumbs(request.user, root)}
    if q:
        matches = units.filter(path__startswith=root.path).matching(q)
        context["page"] = paginate(request, matches)
    else:
        context["children"] = OrgUnit.objects.get_children(root)[:CHILDREN_SHOWN]
        context["more_children"] = root.numchild > CHILDREN_SHOWN
    context["can_manage"] = has_permission_below(request.user, "orgs.manage", root)
    context["can_see_history"] = has_permission(request.user, "orgs.history")
    return render(request, "orgs/tree.html", context)


@login_required
def children(request, pk):
    """The children of one unit, as rows of the tree (htmx)."""
    unit = _get_unit(request, pk, "orgs.view")
    return render(
        request,
        "orgs/_tree_children.html",
        {
            "children": OrgUnit.objects.get_children(unit)[:CHILDREN_SHOWN],
            "more_children": unit.numchild > CHILDREN_SHOWN,
            "parent": unit,
        },
    )


@login_required
def detail(request, pk):
    unit = _get_unit(request, pk, "orgs.view")
    perms = permissions_on(request.user, unit)
    parent = OrgUnit.objects.get_parent(unit)
    page = paginate(request, OrgUnit.objects.get_children(unit))
    # A unit's own headcount leaves out its units below (a central school counts a dozen itself and the rest
    # in its groups): the roll-ups' subtree totals, in one query, are what a reader means by 职工人数.
    totals = rollup_read.for_units([unit.pk, *(child.pk for child in page.object_list)], timezone.localdate().year)
    context = {
        "unit": unit,
        "parent": parent,
        "parent_visible": parent is not None and has_permission(request.user, "orgs.view", parent),
        "perms": perms,
        "can_add": unit.is_active
        and unit.allowed_child_kinds
        and has_permission_below(request.user, "orgs.manage", unit),
        "can_restructure": parent is not None and _from_above(request.user, unit, parent),
        "page": page,
        "headcounts": {pk: overview.headcount for pk, overview in totals.items()},
        # Officers only: members get 会员 with their roster record and are counted on the roster.
        "assignments": unit.assignments.exclude(role=Role.MEMBER).select_related("user").by_seniority(),
        "breadcrumbs": unit_breadcrumbs(request.user, unit),
    }
    if "orgs.history" in perms:
        context["changes"] = unit_changes(
            with_previous(OrgUnit.history.filter(id=unit.pk).select_related("history_user"))[:10]
        )
    return render(request, "orgs/detail.html", context)


@login_required
def add(request, pk):
    parent = _get_unit(request, pk, "orgs.view")
    if not has_permission_below(request.user, "orgs.manage", parent):
        raise Http404
    form = UnitForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.unit_add(parent=parent, **form.cleaned_data)
        except services.OrgError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已新增单位“%(name)s”。") % {"name": child.name})
            return redirect("orgs:detail", child.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "form": form,
            "unit": parent,
            "title": _("新增下级单位"),
            "breadcrumbs": unit_breadcrumbs(request.user, parent),
        },
    )


@login_required
def edit(request, pk):
    unit = _get_unit(request, pk, "orgs.manage")
    form = UnitForm(request.POST or None, instance=unit, from_above=_from_above(request.user, unit))
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_update(unit=form.save(commit=False), changed=form.changed_data)
        except services.OrgError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect("orgs:detail", unit.pk)
    return render(
        request,
        "orgs/form.html",
        {"form": form, "unit": unit, "title": _("修改单位信息"), "breadcrumbs": unit_breadcrumbs(request.user, unit)},
    )


def _from_above(user, unit, parent=None):
    """May ``user`` restructure ``unit`` (move, deactivate, change its kind or code)? Only from the
    unit above: an officer of the unit itself runs it but does not redefine it. A root: a superuser."""
    parent = parent if parent is not None else OrgUnit.objects.get_parent(unit)
    if parent is None:
        return user.is_superuser
    return has_permission_below(user, "orgs.manage", parent)


def _restructurable(request, pk):
    """A unit strictly inside the user's manage scope: its parent must be theirs too."""
    unit = _get_unit(request, pk, "orgs.manage")
    parent = OrgUnit.objects.get_parent(unit)
    if parent is None or not _from_above(request.user, unit, parent):
        raise Http404
    return unit


@login_required
def move(request, pk):
    unit = _restructurable(request, pk)
    form = MoveForm(
        request.POST if request.method == "POST" else None,
        units=OrgUnit.objects.visible_to(request.user, "orgs.manage").filter(is_active=True),
        search_url=reverse("orgs:move_targets", args=[unit.pk]),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_move(unit=unit, new_parent=form.cleaned_data["target"])
        except services.OrgError as error:
            form.add_error("target", str(error))
        else:
            messages.success(
                request,
                _("已将“%(name)s”及其下级单位移至“%(parent)s”。")
                % {"name": unit.name, "parent": form.cleaned_data["target"].name},
            )
            return redirect("orgs:detail", unit.pk)
    return render(
        request,
        "orgs/move.html",
        {"form": form, "unit": unit, "breadcrumbs": unit_breadcrumbs(request.user, unit)},
    )


@login_required
def move_targets(request, pk):
    """Units that ``unit`` could move under, matching what the officer types (the move form's picker)."""
    unit = _restructurable(request, pk)
    units = (
        OrgUnit.objects.visible_to(request.user, "orgs.manage")
        .filter(is_active=True, kind__in=parent_kinds(unit.kind))
        .exclude(path__startswith=unit.path)
    )
    return unit_suggestions(request, units, request.GET.get("q", ""))


@login_required
def deactivate(request, pk):
    unit = _restructurable(request, pk)
    if request.method == "POST":
        try:
            count = services.unit_retire(unit=unit, by=request.user)
        except services.OrgError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "已停用 %(count)s 个单位。单位的会员和记录都保留，可随时重新启用。",
                    "已停用 %(count)s 个单位。单位的会员和记录都保留，可随时重新启用。",
                    count,
                )
                % {"count": count},
            )
            return redirect("orgs:detail", unit.pk)
    subtree = OrgUnit.objects.filter(path__startswith=unit.path, is_active=True).count()
    use = services.unit_in_use(unit)
    return render(
        request,
        "orgs/deactivate.html",
        {
            "unit": unit,
            "subtree": subtree,
            "use": use,
            "in_use": any(use.values()),
            "breadcrumbs": unit_breadcrumbs(request.user, unit),
        },
    )


@login_required
@require_POST
def reactivate(request, pk):
    unit = _restructurable(request, pk)
    try:
        services.unit_reactivate(unit=unit)
    except services.OrgError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已重新启用“%(name)s”。") % {"name": unit.name})
    return redirect("orgs:detail", unit.pk)


# The person whose first-login link the roles page shows once, after the redirect that follows opening
# their account or renewing the link: their id, never the link, is what the session keeps.
WELCOME_SESSION_KEY = "orgs_welcome"


MEMBER_ACCOUNTS_PER_PAGE = 30


def _roles_page(request, unit, *, form=None, invite_form=None):
    # The officers in full; the members' own logins (the 会员 role each account opened from the roster
    # holds) a page at a time: a company union has thousands of them, and the officers went under.
    officers = list(unit.assignments.exclude(role=Role.MEMBER).select_related("user").by_seniority())
    member_accounts = paginate(
        request,
        unit.assignments.filter(role=Role.MEMBER).select_related("user").order_by("user__username", "pk"),
        MEMBER_ACCOUNTS_PER_PAGE,
    )
    assignments = [*officers, *member_accounts.object_list]
    renewable = (
        services.links_renewable(by=request.user, users={a.user for a in assignments}) if unit.is_active else set()
    )
    context = {
        "unit": unit,
        "form": form or RoleAssignForm(unit=unit, by=request.user),
        "invite_form": invite_form or OfficerInviteForm(prefix="invite"),
        "officers": officers,
        "member_accounts": member_accounts,
        "renewable": renewable,
        "removable": {a.pk for a in assignments if services.may_remove(by=request.user, assignment=a)},
        # Offered only where the link can be issued (a person with a role above the officer's is not theirs to reset).
        "resettable": reset.resettable(by=request.user, users={a.user for a in assignments}),
        "breadcrumbs": unit_breadcrumbs(request.user, unit),
    }
    shown = request.session.get(WELCOME_SESSION_KEY)
    if request.method == "GET" and shown and shown.get("unit") == unit.pk:
        del request.session[WELCOME_SESSION_KEY]  # shown once: a reload or a later visit has no link
        person = get_user_model().objects.filter(pk=shown.get("user")).first()
        if person is not None and person.awaits_first_login():
            context["welcome"] = {
                "person": person,
                "url": request.build_absolute_uri(welcome_path(person)),
                "days": welcome_days(),
            }
    return render(request, "orgs/roles.html", context)


@login_required
def roles(request, pk):
    unit = _get_unit(request, pk, "orgs.assign_roles")
    form = RoleAssignForm(request.POST or None, unit=unit, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(unit=unit, user=form.cleaned_data["username"], role=form.cleaned_data["role"])
        except services.OrgError as error:
            if not refusal_on_form(request, form, error):
                return redirect("orgs:roles", unit.pk)  # the unit was deactivated meanwhile: no form now
        else:
            messages.success(request, _("已分配角色。"))
            return redirect("orgs:roles", unit.pk)
    return _roles_page(request, unit, form=form)


@login_required
@require_POST
def role_invite(request, pk):
    """为新人开通账号: a login with a role, then its first-login link shown once on the roles page."""
    unit = _get_unit(request, pk, "orgs.assign_roles")
    form = OfficerInviteForm(request.POST, prefix="invite")
    if form.is_valid():
        try:
            person = services.officer_invite(unit=unit, by=request.user, **form.cleaned_data)
        except services.OrgError as error:
            if not refusal_on_form(request, form, error):
                return redirect("orgs:roles", unit.pk)
        else:
            request.session[WELCOME_SESSION_KEY] = {"unit": unit.pk, "user": person.pk}
            messages.success(
                request,
                _("已为 %(name)s 开通账号，登录名 %(username)s。请把下面的首次登录链接发给本人。")
                % {"name": person.full_name, "username": person.username},
            )
            return redirect("orgs:roles", unit.pk)
    return _roles_page(request, unit, invite_form=form)


@login_required
@require_POST
def role_link_renew(request, pk):
    """A new first-login link for someone who lost theirs; the old one stops working."""
    assignment = get_object_or_404(
        RoleAssignment.objects.visible_to(request.user, "orgs.assign_roles").select_related("unit", "user"), pk=pk
    )
    try:
        services.officer_link_renew(user=assignment.user, by=request.user)
    except services.OrgError as error:
        messages.error(request, error.message)
    else:
        request.session[WELCOME_SESSION_KEY] = {"unit": assignment.unit.pk, "user": assignment.user.pk}
        messages.success(request, _("已重新生成首次登录链接，之前发出的链接已失效。"))
    return redirect("orgs:roles", assignment.unit.pk)


@login_required
def role_remove(request, pk):
    assignment = get_object_or_404(
        RoleAssignment.objects.visible_to(request.user, "orgs.assign_roles").select_related("unit", "user"), pk=pk
    )
    if request.method == "POST":
        try:
            services.role_remove(assignment=assignment, by=request.user)
        except services.OrgError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("已撤销 %(user)s 的%(role)s角色。")
                % {"user": assignment.user, "role": assignment.get_role_display()},
            )
        return redirect("orgs:roles", assignment.unit.pk)
    return render(
        request,
        "orgs/role_remove.html",
        {
            "assignment": assignment,
            # Asked before the button is offered: confirming a withdrawal that is then refused wastes a step.
            "removable": services.may_remove(by=request.user, assignment=assignment),
            "unit": assignment.unit,
            "breadcrumbs": unit_breadcrumbs(request.user, assignment.unit),
        },
    )


@login_required
def history(request):
    """Changes to the units and role assignments in the user's scope, newest first."""
    units = OrgUnit.objects.visible_to(request.user, "orgs.history")
    if not units.exists():
        raise Http404
    kind = "roles" if request.GET.get("kind") == "roles" else "units"
    if kind == "roles":
        rows = RoleAssignment.history.filter(unit_id__in=units.values("id")).select_related(
            "history_user", "user", "unit"
        )
    else:
        rows = with_previous(OrgUnit.history.filter(id__in=units.values("id")).select_related("history_user"))
    page = paginate(request, rows.order_by("-history_date", "-history_id"))
    return render(
        request,
        "orgs/history.html",
        {"page": page, "kind": kind, "changes": unit_changes(page) if kind == "units" else None},
    )


@login_required
@require_POST
def switch(request):
    """Work as another of the user's units from now on."""
    wanted = request.POST.get("unit")
    for unit in request.switchable_units:
        if str(unit.pk) == wanted:
            request.session[SESSION_KEY] = unit.pk
            messages.info(request, _("当前工作单位：%(name)s") % {"name": unit.name})
            break
    else:
        raise Http404
    return redirect(next_url(request, reverse("workbench:home")))
