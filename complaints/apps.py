from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from django_fsm.signals import post_transition

        from casework.case_kinds import register_case_kind, register_intake_hint
        from casework.timeline import register_action_labels

        from .choices import State
        from .importing import ComplaintImporter
        from .models import Complaint
        from .selectors import complaint_repeat_hints
        from .services import UPDATE_DETAILS, special_survey_on_closing
        from .workflow import WORKFLOW

        # Its page and state names (bell, timelines), escalation levels raised by the SLA sweep,
        # and complaint files on the import page.
        register_case_kind(model=Complaint, page="complaints:detail", states=State, importer=ComplaintImporter())
        # Its timeline names each action as its workflow table does (提出方案, 驳回, 批准…).
        register_action_labels(Complaint, {**{name: step.label for name, step in WORKFLOW.steps.items()},
                                           "update_details": UPDATE_DETAILS, "major": _("Major complaint"),
                                           "import": _("Imported")})
        # Every transition that closes a complaint (callback, invalid, forced, solved on the spot, and
        # any added later) passes here, inside the action's transaction.
        post_transition.connect(special_survey_on_closing, sender=Complaint, dispatch_uid="complaint-closed-survey")
        # The intake panel of a known customer says which earlier complaints a new one would repeat.
        register_intake_hint("complaints.repeat", complaint_repeat_hints)
