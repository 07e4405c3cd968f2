from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("会员")

    def ready(self):
        from core.navigation import Module, register
        from members import figures  # noqa: F401  (registers metrics, the home card and the summary part)

        register(Module("members", _("会员"), "members:list", "members.view", icon="bi-people", order=20))
