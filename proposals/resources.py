"""django-import-export resource for the admin's proposal export, as complaints/resources.py."""

from casework.resources import CaseResource

from .models import Proposal


class ProposalResource(CaseResource):
    """The admin's proposal export: business columns, the customer's phone masked unless permitted."""

    class Meta:
        model = Proposal
        fields = ("number", "received_at", "customer_name", "customer_phone", "channel", "category", "priority",
                  "subject", "state", "unit", "decision", "feedback_at", "cost_reduction", "closed_at")
        export_order = fields
