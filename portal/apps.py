from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Customer portal")

    def ready(self):
        from casework.timeline import register_action_labels

        from . import services  # noqa: F401 — declares the timeline texts the portal writes

        register_action_labels(None, {"portal_name": _("Name given on the website")})
