from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from casework.case_kinds import register_case_kind
        from sla.sweep import register_escalated_case_model

        from .choices import State
        from .models import Proposal

        register_escalated_case_model(Proposal)
        register_case_kind(model=Proposal, page="proposals:detail", states=State)
