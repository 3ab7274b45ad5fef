from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satisfaction"
    verbose_name = _("Satisfaction")

    def ready(self):
        from casework.case_kinds import register_case_kind

        from .choices import SurveyState
        from .models import Survey

        # A survey is a case: its page and state names (bell, timelines), escalation by the SLA sweep.
        register_case_kind(model=Survey, page="satisfaction:survey", states=SurveyState)
