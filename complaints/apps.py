from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from casework.case_kinds import register_case_kind
        from sla.sweep import register_escalated_case_model

        from .choices import State
        from .models import Complaint

        # The SLA sweep raises Complaint.escalation_level along with its escalations.
        register_escalated_case_model(Complaint)
        register_case_kind(model=Complaint, page="complaints:detail", states=State)

        from casework.importing import register_importer

        from .importing import ComplaintImporter

        register_importer(ComplaintImporter())
