from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from orgs.models import OrgUnit
from orgs.picker import UnitPicker, picked_errors
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
