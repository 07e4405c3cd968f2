from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("组织架构")

    def ready(self):
        from core.navigation import Module, register

        register(Module("orgs", _("组织架构"), "orgs:tree", "orgs.view", icon="bi-diagram-3", order=90))
