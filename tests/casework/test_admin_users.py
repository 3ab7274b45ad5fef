"""Who may change whom in the Django admin (issue 8): the admin role manages people within the four
roles; superuser status, staff status, individual permissions and the groups' permissions are a
superuser's alone, whatever is POSTed."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from casework.personal_data import may_see_unmasked

from ..factories import UserFactory

User = get_user_model()


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.force_login(User.objects.create_superuser("root", password="pw"))
    return client


@pytest.fixture
def personal_data():
    return Permission.objects.get(codename="view_personal_data")


def _change(client, user, **fields):
    """POST the user's change form with every field the full form has; `fields` override."""
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": "", "email": "",
        "is_active": "on", "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": "2025-01-01", "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2025-01-01", "initial-date_joined_1": "09:00:00",
        **fields,
    }
    return client.post(f"/admin/auth/user/{user.pk}/change/", {k: v for k, v in data.items() if v is not None})


def _role(name):
    return Group.objects.get(name=name)


@pytest.mark.parametrize("whom", ["agent", "admin_user"])
def test_the_admin_role_cannot_make_anyone_a_superuser_or_grant_permissions(
        request, admin_client_role, personal_data, whom):
    user = request.getfixturevalue(whom)
    was_staff = user.is_staff
    response = _change(admin_client_role, user, is_superuser="on", is_staff="on", user_permissions=[personal_data.pk])
    assert response.status_code == 302  # the rest of the form is saved; those fields are simply not the role's
    user = User.objects.get(pk=user.pk)
    assert not user.is_superuser and user.is_staff == was_staff
    assert not user.user_permissions.exists()
    assert not may_see_unmasked(user)


def test_the_admin_role_cannot_touch_a_superuser(admin_client_role):
    root = User.objects.create_superuser("root", password="pw")
    assert admin_client_role.get(f"/admin/auth/user/{root.pk}/change/").status_code == 200  # to read
    assert _change(admin_client_role, root, is_active=None).status_code == 403
    assert admin_client_role.post(f"/admin/auth/user/{root.pk}/password/",
                                  {"password1": "taken-over-1", "password2": "taken-over-1"}).status_code == 403
    assert admin_client_role.post(f"/admin/auth/user/{root.pk}/delete/", {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.is_active and root.check_password("pw")


def test_the_admin_role_reads_the_groups_but_cannot_change_or_add_one(admin_client_role, personal_data):
    admin_group = _role("admin")
    assert admin_client_role.get("/admin/auth/group/").status_code == 200
    response = admin_client_role.post(f"/admin/auth/group/{admin_group.pk}/change/",
                                      {"name": "admin", "permissions": [personal_data.pk]})
    assert response.status_code == 403
    assert not admin_group.permissions.filter(pk=personal_data.pk).exists()
    assert admin_client_role.post("/admin/auth/group/add/", {"name": "mine", "permissions": [personal_data.pk]}
                                  ).status_code == 403
    assert not Group.objects.filter(name="mine").exists()


def test_the_admin_role_manages_people_within_the_roles(admin_client_role, unit_a):
    response = admin_client_role.post("/admin/auth/user/add/", {
        "username": "newbie", "usable_password": "true", "password1": "Closeloop-2026", "password2": "Closeloop-2026"})
    assert response.status_code == 302
    newbie = User.objects.get(username="newbie")
    assert newbie.check_password("Closeloop-2026") and not newbie.is_staff
    page = admin_client_role.get(f"/admin/auth/user/{newbie.pk}/change/").content.decode()
    assert 'name="responsible_units"' in page and 'name="user_permissions"' not in page
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    response = _change(admin_client_role, newbie, groups=[_role("handler").pk], responsible_units=[unit_a.pk])
    assert response.status_code == 302
    assert list(newbie.groups.values_list("name", flat=True)) == ["handler"]
    assert list(newbie.responsible_units.all()) == [unit_a]
    assert _change(admin_client_role, newbie, is_active=None).status_code == 302  # deactivated
    newbie.refresh_from_db()
    assert not newbie.is_active
    assert admin_client_role.post(f"/admin/auth/user/{newbie.pk}/password/",
                                  {"password1": "Another-2026", "password2": "Another-2026"}).status_code == 302
    newbie.refresh_from_db()
    assert newbie.check_password("Another-2026")
    assert admin_client_role.post(f"/admin/auth/user/{newbie.pk}/delete/", {"post": "yes"}).status_code == 403


def test_staff_status_comes_and_goes_with_the_admin_role(admin_client_role):
    user = UserFactory(username="helper", role="agent")
    _change(admin_client_role, user, groups=[_role("agent").pk, _role("admin").pk])
    user.refresh_from_db()
    assert user.is_staff
    _change(admin_client_role, user, groups=[_role("agent").pk])
    user.refresh_from_db()
    assert not user.is_staff


def test_the_admin_role_gives_only_the_four_role_groups_and_keeps_the_others(admin_client_role, personal_data):
    auditors = Group.objects.create(name="auditors")
    auditors.permissions.add(personal_data)
    user = UserFactory(username="helper", role="agent")
    response = _change(admin_client_role, user, groups=[_role("agent").pk, auditors.pk])
    assert response.status_code == 200 and "auditors" not in user.groups.values_list("name", flat=True)
    user.groups.add(auditors)  # a superuser's doing
    assert _change(admin_client_role, user, groups=[_role("manager").pk]).status_code == 302
    assert set(user.groups.values_list("name", flat=True)) == {"manager", "auditors"}


def test_a_superuser_still_grants_everything(superuser_client, agent, personal_data):
    page = superuser_client.get(f"/admin/auth/user/{agent.pk}/change/").content.decode()
    assert 'name="is_superuser"' in page and 'name="user_permissions"' in page
    response = _change(superuser_client, agent, is_superuser="on", is_staff="on", user_permissions=[personal_data.pk])
    assert response.status_code == 302
    agent = User.objects.get(pk=agent.pk)
    assert agent.is_superuser and agent.is_staff and may_see_unmasked(agent)
    admin_group = _role("admin")
    response = superuser_client.post(f"/admin/auth/group/{admin_group.pk}/change/",
                                     {"name": "admin", "permissions": [personal_data.pk]})
    assert response.status_code == 302 and admin_group.permissions.filter(pk=personal_data.pk).exists()
