"""django-import-export resource for the admin's complaint export."""

from import_export import fields

from casework.personal_data import mask_phone
from casework.resources import SpreadsheetSafeResource

from .models import Complaint


class ComplaintResource(SpreadsheetSafeResource):
    """The admin's complaint export: business columns, the customer's phone masked unless permitted."""

    customer_name = fields.Field(attribute="customer__name", column_name="customer")
    customer_phone = fields.Field(column_name="phone")
    unit = fields.Field(attribute="responsible_unit__code", column_name="unit")

    def __init__(self, unmasked: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.unmasked = unmasked

    class Meta:
        model = Complaint
        fields = ("number", "kind", "received_at", "customer_name", "customer_phone", "channel", "category",
                  "priority", "subject", "state", "closure_type", "unit", "closed_at")
        export_order = fields

    def dehydrate_customer_phone(self, complaint):
        phone = complaint.customer.phone
        return phone if self.unmasked else mask_phone(phone)
