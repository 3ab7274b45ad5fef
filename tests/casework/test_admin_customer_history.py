"""An administrator sees, in the admin, who calls for a customer (contact persons added at intake)
and how the customer's record was corrected at intake — both as evidence the cases name, which
nobody can add, change or delete there."""

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


def test_who_called_on_a_case_cannot_be_rewritten_or_deleted(admin_client_role, admin_user):
    customer, contact, _correction = _history(admin_user)
    other = CustomerFactory(name="另一位", phone="13900002222")
    complaint = ComplaintFactory(customer=customer, contact_person=contact, state="closed")
    changed = admin_client_role.post(f"/admin/casework/contactperson/{contact.pk}/change/", {
        "customer": other.pk, "name": "别人", "phone": "13900002222", "email": "",
        "created_at_0": "2020-01-01", "created_at_1": "09:00:00"})
    assert changed.status_code == 403
    assert admin_client_role.post(f"/admin/casework/contactperson/{contact.pk}/delete/",
                                  {"post": "yes"}).status_code == 403
    assert admin_client_role.get("/admin/casework/contactperson/add/").status_code == 403
    complaint.refresh_from_db()
    assert (complaint.contact_person.name, complaint.contact_person.customer) == ("李娜", customer)
    # The customer's page shows them without a form to change them.
    page = admin_client_role.get(f"/admin/casework/customer/{customer.pk}/change/").content.decode()
    assert 'name="contact_persons-0-name"' not in page and "李娜" in page


def test_the_customer_page_reads_the_corrections_people_once(admin_client_role, admin_user,
                                                            django_assert_max_num_queries):
    customer, _contact, _correction = _history(admin_user)
    url = f"/admin/casework/customer/{customer.pk}/change/"
    admin_client_role.get(url)
    with django_assert_max_num_queries(100) as few:
        admin_client_role.get(url)
    for number in range(10):
        CustomerCorrection.objects.create(customer=customer, field="name", old_value=f"旧{number}",
                                          new_value=f"新{number}", actor=admin_user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client_role.get(url)


def test_the_admin_role_may_open_the_list_of_every_model_in_the_admin(admin_client_role):
    """A model added to the admin after the role's permissions were granted must be granted too:
    otherwise the administrator's own admin answers 403 for it."""
    from django.contrib import admin
    from django.urls import reverse

    refused = [model._meta.label for model in admin.site._registry
               if admin_client_role.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
               .status_code != 200]
    assert refused == []
