from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from casework.case_kinds import register_case_kind
        from casework.timeline import register_action_labels

        from .choices import State
        from .importing import ProposalImporter
        from .models import Proposal
        from .workflow import WORKFLOW

        # Its page and state names (bell, timelines), escalation levels raised by the SLA sweep, and
        # proposal files on the import page.
        register_case_kind(model=Proposal, page="proposals:detail", states=State, importer=ProposalImporter())
        # Its timeline names each action as its workflow table does.
        register_action_labels(Proposal, {**{name: step.label for name, step in WORKFLOW.steps.items()},
                                          "import": _("Imported")})
