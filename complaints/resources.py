"""django-import-export resource for the admin's complaint export."""

from casework.resources import CaseResource

from .models import Complaint


class ComplaintResource(CaseResource):
    """The admin's complaint export: business columns, the customer's phone masked unless permitted."""

    class Meta:
        model = Complaint
        fields = ("number", "kind", "received_at", "customer_name", "customer_phone", "channel", "category",
                  "priority", "subject", "state", "closure_type", "unit", "closed_at")
        export_order = fields
