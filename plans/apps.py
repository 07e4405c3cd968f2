from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("工作计划")

    def ready(self):
        from core.navigation import Module, register

        # Imported for what they register: the items-done metric and the home-page cards.
        from plans import figures  # noqa: F401

        register(Module("plans", _("工作计划"), "plans:index", "plans.view", icon="bi-calendar-check", order=30))
