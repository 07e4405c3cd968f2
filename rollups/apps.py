from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    name = "rollups"
    verbose_name = _("汇总数字")

    def ready(self):
        from core.navigation import Module, register
        from rollups import hooks, sources  # noqa: F401  (register the sources and the change hooks)

        register(Module("statistics", _("统计"), "rollups:statistics", "reports.view", "bi-bar-chart", 65))
