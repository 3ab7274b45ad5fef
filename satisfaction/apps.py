from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satisfaction"
    verbose_name = _("Satisfaction")

    def ready(self):
        from casework.case_kinds import register_case_kind
        from casework.timeline import register_action_labels

        from .choices import SurveyState
        from .models import Survey
        from .workflow import WORKFLOW

        # A survey is a case: its page and state names (bell, timelines), escalation by the SLA sweep.
        register_case_kind(model=Survey, page="satisfaction:survey", states=SurveyState)
        # Its timeline names each action as its workflow table does; any case's messages to its
        # customer (this app's outbox) are named on every kind's timeline.
        register_action_labels(Survey, {name: step.label for name, step in WORKFLOW.steps.items()})
        register_action_labels(None, {"customer_message": _("Message to the customer")})
