"""django-import-export resources for the admin's customer import/export, and the spreadsheet-safe base
every case app's export resource uses (complaints/resources.py)."""

from import_export import fields, resources

from .models import Customer
from .personal_data import mask_email, mask_phone
from .tabular import spreadsheet_safe


class SpreadsheetSafeResource(resources.ModelResource):
    """Every exported cell passes spreadsheet_safe: a customer named "=cmd|…" stays text."""

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))


class CustomerResource(SpreadsheetSafeResource):
    """Exports mask phones and e-mails unless the user may see personal data (SPEC §1)."""

    phone = fields.Field(attribute="phone", column_name="phone")
    email = fields.Field(attribute="email", column_name="email")

    def __init__(self, unmasked: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.unmasked = unmasked

    class Meta:
        model = Customer
        fields = ("id", "name", "organisation", "phone", "email", "tier", "created_at")
        import_id_fields = ("id",)
        use_transactions = True  # all rows or none
        skip_unchanged = True

    def dehydrate_phone(self, customer):
        return customer.phone if self.unmasked else mask_phone(customer.phone)

    def dehydrate_email(self, customer):
        return customer.email if self.unmasked else mask_email(customer.email)


class CaseResource(SpreadsheetSafeResource):
    """An admin export of a kind of case: its customer's name, the phone masked unless permitted,
    the unit's code; the kind's Meta names the model and its columns."""

    customer_name = fields.Field(attribute="customer__name", column_name="customer")
    customer_phone = fields.Field(column_name="phone")
    unit = fields.Field(attribute="responsible_unit__code", column_name="unit")

    def __init__(self, unmasked: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.unmasked = unmasked

    def dehydrate_customer_phone(self, case):
        phone = case.customer.phone
        return phone if self.unmasked else mask_phone(phone)

