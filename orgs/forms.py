from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from core.cleaning import NAME_MAX, CellError, clean_phone, parse_name
from core.forms import BootstrapFormMixin
from orgs.access import subtree_range
from orgs.models import OrgUnit, RoleAssignment, UnitKind
from orgs.picker import UnitPicker, picked_errors
from orgs.roles import INVITE_ROLES, Role

CHOOSE = ("", _("请选择"))


class UnitForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "short_name", "code", "kind", "headcount"]

    def __init__(self, *args, parent=None, from_above=True, **kwargs):
        super().__init__(*args, **kwargs)
        if parent is None and self.instance.pk:
            parent = OrgUnit.objects.get_parent(self.instance)
        if not from_above:
            # What a unit is and the code it is filed under are the unit above's to say: a chair who
            # could set them could make her own union a 总工会 and act as the county over its siblings.
            del self.fields["code"]
        if parent is None or not from_above:
            # A root's kind is set when the tree is set up; no unit above it says what it may be.
            del self.fields["kind"]
            return
        # The officer picks the kind: the first allowed option used to be taken silently, and a group
        # added as a 分工会 went unnoticed. Guessing from the name (…小组) would be silent again for names
        # that say nothing (一年级组), so the field starts blank, unless the parent allows one kind only.
        # An existing unit offers the same kinds as a new one below its parent; whether its children
        # may stay below the new kind is OrgUnit.clean's to say.
        labels = dict(UnitKind.choices)
        allowed = parent.allowed_child_kinds
        if self.instance.pk and self.instance.kind != UnitKind.FEDERATION:
            # A federation is founded as one, with its own filings and targets, not made by relabelling
            # a union: the edit offers no 总工会 to a unit that is not one already.
            allowed = [kind for kind in allowed if kind != UnitKind.FEDERATION]
        field = self.fields["kind"]
        field.choices = [CHOOSE, *((kind.value, labels[kind]) for kind in allowed)]
        field.error_messages["required"] = _("请选择单位类型。")
        if len(allowed) == 1 and not self.instance.pk:
            field.initial = allowed[0].value

    def clean_code(self):
        # Said here, with the code typed: Django's own check says "具有 编码 的 单位 已存在。"
        code = self.cleaned_data["code"]
        if OrgUnit.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("编码“%(code)s”已被其他单位使用，请换一个。"), params={"code": code})
        return code


class MoveForm(BootstrapFormMixin, forms.Form):
    """The new parent, picked by searching among the units the officer manages (UnitPicker). Whether it
    may hold the unit (its kind, not inside the unit itself) is services.unit_move's to say."""

    target = forms.ModelChoiceField(
        label=_("新的上级单位"),
        queryset=None,
        widget=UnitPicker,
        error_messages=picked_errors(_("请输入上级单位的名称或编码，从搜索结果中选择。")),
    )

    def __init__(self, *args, units, search_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = units
        self.fields["target"].widget.search_url = search_url


def _role_field(roles):
    # No role is preselected: an officer who forgot to choose would have made someone 工会主席.
    return forms.ChoiceField(
        label=_("角色"),
        choices=[CHOOSE, *((role.value, role.label) for role in roles)],
        error_messages={"required": _("请选择角色。")},
    )


class RoleAssignForm(BootstrapFormMixin, forms.Form):
    """分配角色 to someone with a login: a member or officer of ``unit``'s subtree, or an officer of a
    unit ``by`` assigns roles on. Anyone else is refused with the words used for a login that does not
    exist, so the form tells nobody which logins exist elsewhere."""

    username = forms.CharField(label=_("登录名"), max_length=150)
    role = _role_field(Role)

    def __init__(self, *args, unit, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit, self.by = unit, by
        self.fields["role"].choices = [CHOOSE, *((role.value, role.label) for role in assignable_roles(unit))]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        person = get_user_model().objects.filter(username=username, is_active=True).first()
        if person is None or not may_pick(person, self.unit, self.by):
            raise forms.ValidationError(
                _(
                    "在可选的人中没有登录名为“%(username)s”的用户：只能选本单位及下级单位的会员和干部，"
                    "或您分配角色范围内的工会干部。如果此人还没有账号，可在下方为新人开通账号。"
                ),
                params={"username": username},
            )
        return person


def assignable_roles(unit):
    """The roles 分配角色 offers on ``unit``: never 会员, which the roster gives a member with her record
    (a 会员 role without one leads nowhere), and 上级查看 only on a federation, the one unit that is
    above others by its nature."""
    return [
        role
        for role in Role
        if role != Role.MEMBER and (role != Role.FEDERATION_VIEWER or unit.kind == UnitKind.FEDERATION)
    ]


def may_pick(person, unit, by) -> bool:
    """May ``by`` give ``person`` a role on ``unit``? Yes for anyone with a role or a member record in
    ``unit``'s subtree, and for the officers (roles other than 会员) of units where ``by`` assigns roles.
    Asked of the one login typed, so each check reads that person's few rows by index, however large
    the subtree (a set of everyone in a province's subtree would be millions of rows)."""
    from members.models import Member

    subtree = subtree_range(unit.path)
    return (
        RoleAssignment.objects.filter(user=person, unit__path__range=subtree).exists()
        or Member.objects.filter(user=person, unit__path__range=subtree).exists()
        or RoleAssignment.objects.visible_to(by, "orgs.assign_roles")
        .filter(user=person)
        .exclude(role=Role.MEMBER)
        .exists()
    )


class OfficerInviteForm(BootstrapFormMixin, forms.Form):
    """为新人开通账号: a login for someone who has none, with a role. Whether the login name or the phone
    is already someone else's is services.officer_invite's to say."""

    full_name = forms.CharField(label=_("姓名"), max_length=NAME_MAX)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=30,
        required=False,
        help_text=_("选填。填了手机号，本人以后也可以用手机号和密码登录。"),
    )
    username = forms.CharField(
        label=_("登录名"),
        max_length=150,
        required=False,
        validators=[UnicodeUsernameValidator()],
        help_text=_("选填。不填则按姓名拼音生成（如 liuxiaomei），重名时自动加数字。"),
    )
    role = _role_field(INVITE_ROLES)

    def clean_full_name(self):
        try:
            return parse_name(self.cleaned_data["full_name"])
        except CellError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_phone(self):
        try:
            return clean_phone(self.cleaned_data["phone"])
        except CellError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_username(self):
        return self.cleaned_data["username"].strip()
