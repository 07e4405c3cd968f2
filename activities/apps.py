from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("活动与竞赛")

    def ready(self):
        from activities import (
            figures,  # noqa: F401  (registers metrics, cards, evidence, calendar, summary)
            filing,  # noqa: F401  (summaries filed through federation.filing)
            signals,  # noqa: F401  (registrations follow the roster)
        )
        from core.navigation import Module, register

        register(
            Module("activities", _("活动"), "activities:list", "activities.view", icon="bi-calendar-event", order=40)
        )
