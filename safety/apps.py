from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("安康杯与劳动保护")

    def ready(self):
        from core.navigation import Module, register
        from safety import figures  # noqa: F401  (metrics, home card, to-dos)

        register(Module("safety", _("安全"), "safety:index", "safety.view", icon="bi-shield-check", order=75))
