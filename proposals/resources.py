"""django-import-export resource for the admin's proposal export, as complaints/resources.py."""

from import_export import fields

from casework.personal_data import mask_phone
from casework.resources import SpreadsheetSafeResource

from .models import Proposal


class ProposalResource(SpreadsheetSafeResource):
    """The admin's proposal export: business columns, the customer's phone masked unless permitted."""

    customer_name = fields.Field(attribute="customer__name", column_name="customer")
    customer_phone = fields.Field(column_name="phone")
    unit = fields.Field(attribute="responsible_unit__code", column_name="unit")

    def __init__(self, unmasked: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.unmasked = unmasked

    class Meta:
        model = Proposal
        fields = ("number", "received_at", "customer_name", "customer_phone", "channel", "category", "priority",
                  "subject", "state", "unit", "decision", "feedback_at", "cost_reduction", "closed_at")
        export_order = fields

    def dehydrate_customer_phone(self, proposal):
        phone = proposal.customer.phone
        return phone if self.unmasked else mask_phone(phone)
