from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from casework.case_kinds import register_case_kind

        from .choices import State
        from .importing import ProposalImporter
        from .models import Proposal

        # Its page and state names (bell, timelines), escalation levels raised by the SLA sweep, and
        # proposal files on the import page.
        register_case_kind(model=Proposal, page="proposals:detail", states=State, importer=ProposalImporter())
