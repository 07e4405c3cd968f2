from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from orgs.models import OrgUnit
from orgs.roles import Role


class UnitForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["name", "short_name", "code", "kind", "headcount"]

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parent is not None:
            self.fields["kind"].choices = [
                (value, label) for value, label in self.fields["kind"].choices if value in parent.allowed_child_kinds
            ]
        elif self.instance.pk:
            # The kind of an existing unit is part of the tree's shape; moving decides it.
            del self.fields["kind"]


class MoveForm(BootstrapFormMixin, forms.Form):
    target = forms.CharField(
        label=_("新的上级单位编码"),
        max_length=40,
        help_text=_("输入上级单位的编码，或输入名称后从下方结果中选择。"),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates

    def clean_target(self):
        code = self.cleaned_data["target"].strip()
        try:
            return self.candidates.get(code=code)
        except OrgUnit.DoesNotExist:
            raise forms.ValidationError(
                _("没有找到编码为“%(code)s”且您可调整的单位。"), params={"code": code}
            ) from None


class RoleAssignForm(BootstrapFormMixin, forms.Form):
    username = forms.CharField(label=_("登录名"), max_length=150)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise forms.ValidationError(
                _("没有登录名为“%(username)s”的有效用户。"), params={"username": username}
            ) from None
