from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    """The pages that bring every app together (home, to-do, access log) and the layout's context.

    The top layer: it reads every app through core's registries and the access rule in orgs, and
    nothing imports it. core stays below orgs and every domain app.
    """

    name = "workbench"
    verbose_name = _("工作台")

    def ready(self):
        from workbench import cards  # noqa: F401  (the unread notifications card)
