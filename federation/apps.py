from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "federation"
    verbose_name = _("上下级工作")

    def ready(self):
        from core.navigation import Module, register
        from federation import kinds, signals, todos  # noqa: F401 (registers filing kinds, signals, to-dos)

        register(Module("federation", _("上报下达"), "federation:index", "reports.view", "bi-diagram-2", 60))
