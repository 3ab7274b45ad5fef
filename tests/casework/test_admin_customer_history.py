"""An administrator sees, in the admin, who calls for a customer (contact persons added at intake)
and how the customer's record was corrected at intake — the corrections as evidence that nobody
can change or delete, and a contact person named on a case protected from deletion."""

from casework.models import ContactPerson, CustomerCorrection

from ..factories import ComplaintFactory, CustomerFactory


def _history(admin_user):
    customer = CustomerFactory(name="王小明", phone="13800001111")
    contact = ContactPerson.objects.create(customer=customer, name="李娜", phone="13800001111")
    correction = CustomerCorrection.objects.create(customer=customer, field="tier", old_value="ordinary",
                                                   new_value="key", case_number="TS202611000001", actor=admin_user)
    return customer, contact, correction


def test_the_customer_page_lists_contact_persons_and_corrections(admin_client_role, admin_user):
    customer, contact, correction = _history(admin_user)
    page = admin_client_role.get(f"/admin/casework/customer/{customer.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "李娜" in text and "TS202611000001" in text
    assert admin_client_role.get("/admin/casework/customercorrection/").status_code == 200
    listed = admin_client_role.get("/admin/casework/contactperson/?q=李娜")
    assert list(listed.context["cl"].result_list) == [contact]


def test_a_correction_cannot_be_added_changed_or_deleted(admin_client_role, admin_user):
    _customer, _contact, correction = _history(admin_user)
    assert admin_client_role.get("/admin/casework/customercorrection/add/").status_code == 403
    changed = admin_client_role.post(f"/admin/casework/customercorrection/{correction.pk}/change/",
                                     {"new_value": "potential"})
    assert changed.status_code == 403
    assert admin_client_role.post(f"/admin/casework/customercorrection/{correction.pk}/delete/",
                                  {"post": "yes"}).status_code == 403
    assert CustomerCorrection.objects.get().new_value == "key"


def test_a_contact_person_named_on_a_case_is_not_deleted(admin_client_role, admin_user):
    customer, contact, _correction = _history(admin_user)
    ComplaintFactory(customer=customer, contact_person=contact)
    response = admin_client_role.post(f"/admin/casework/contactperson/{contact.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200  # the admin's "cannot delete: protected objects" page
    assert response.context["protected"]
    assert ContactPerson.objects.filter(pk=contact.pk).exists()


def test_an_admin_corrects_a_contact_persons_phone_in_one_written_form(admin_client_role, admin_user):
    customer, contact, _correction = _history(admin_user)
    response = admin_client_role.post(f"/admin/casework/contactperson/{contact.pk}/change/", {
        "customer": customer.pk, "name": "李娜", "phone": "+86 139 1234 5678", "email": "",
        "created_at_0": "2026-11-01", "created_at_1": "09:00:00"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ContactPerson.objects.get().phone == "13912345678"
    bad = admin_client_role.post(f"/admin/casework/contactperson/{contact.pk}/change/", {
        "customer": customer.pk, "name": "李娜", "phone": "not a phone", "email": "",
        "created_at_0": "2026-11-01", "created_at_1": "09:00:00"})
    assert bad.status_code == 200 and "phone" in bad.context["adminform"].form.errors


def test_the_admin_role_may_open_the_list_of_every_model_in_the_admin(admin_client_role):
    """A model added to the admin after the role's permissions were granted must be granted too:
    otherwise the administrator's own admin answers 403 for it."""
    from django.contrib import admin
    from django.urls import reverse

    refused = [model._meta.label for model in admin.site._registry
               if admin_client_role.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
               .status_code != 200]
    assert refused == []
