from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("考核评比")

    def ready(self):
        from assessments import figures, rules, todos  # noqa: F401 (registers metrics, cards, rules, to-dos)
        from core.navigation import Module, register

        register(
            Module("assessments", _("考核评比"), "assessments:index", "assessments.view", "bi-clipboard-check", 72)
        )
