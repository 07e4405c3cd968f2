from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("会员服务")

    def ready(self):
        from core.navigation import Module, register
        from portal import figures  # noqa: F401  (registers the to-dos and the metrics)

        # Members (who may register for activities) reach their own page from the menu;
        # officers from the user menu, and the join applications from their to-do list.
        register(Module("portal", _("我的"), "portal:me", "activities.register", icon="bi-person-vcard", order=5))
        register(
            Module(
                "portal_applications",
                _("入会申请"),
                "portal:applications",
                "members.change",
                icon="bi-person-plus",
                order=25,
            )
        )
