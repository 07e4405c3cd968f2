from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    name = "rollups"
    verbose_name = _("汇总数字")

    def ready(self):
        from rollups import hooks, sources  # noqa: F401  (register the sources and the change hooks)
