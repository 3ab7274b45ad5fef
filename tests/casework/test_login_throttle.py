"""Login throttling (django-axes, issue 8): wrong passwords lock the user name and the address
separately, the lock holds against the right password, and an administrator can lift it."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client, RequestFactory

from casework.login_throttle import client_address


def _log_in(username, password, address="10.0.0.1", path="/login/"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(path, {"username": username, "password": password})
    return response, "_auth_user_id" in client.session


def _fail(times, username="agent", address="10.0.0.1", path="/login/"):
    responses = [_log_in(username, "wrong", address, path)[0] for _ in range(times)]
    return responses[-1]


def test_wrong_passwords_lock_the_user_even_against_the_right_password(agent):
    assert _fail(settings.AXES_FAILURE_LIMIT - 1).status_code == 200  # the form again, with its error
    locked = _fail(1)
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    response, logged_in = _log_in("agent", "pw")
    assert response.status_code == 429 and not logged_in


def test_a_user_name_is_locked_from_every_address(agent, manager):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(1, address=f"10.0.1.{n}")  # one guess per address: the address limit never trips
    assert not _log_in("agent", "pw", address="10.0.2.1")[1]
    assert _log_in("manager", "pw", address="10.0.2.1")[1]  # that address is not locked


def test_an_address_is_locked_for_every_user_name(agent):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _fail(1, username=f"guess{n}", address="10.0.3.1")
    response, logged_in = _log_in("agent", "pw", address="10.0.3.1")
    assert response.status_code == 429 and not logged_in
    assert _log_in("agent", "pw", address="10.0.3.2")[1]  # the user name itself is not locked


def test_the_admin_login_page_is_throttled_too(admin_user):
    assert _fail(settings.AXES_FAILURE_LIMIT, username="admin", path="/admin/login/").status_code == 429
    assert not _log_in("admin", "pw", path="/admin/login/")[1]


def test_the_admin_role_lifts_a_lockout_in_the_admin(agent, admin_client_role):
    _fail(settings.AXES_FAILURE_LIMIT)
    assert not _log_in("agent", "pw")[1]
    attempts = admin_client_role.get("/admin/axes/accessattempt/?username=agent")
    assert attempts.status_code == 200 and "agent" in attempts.content.decode()
    ids = list(AccessAttempt.objects.filter(username="agent").values_list("pk", flat=True))
    response = admin_client_role.post("/admin/axes/accessattempt/", {
        "action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302
    assert _log_in("agent", "pw")[1]


def test_axes_reset_command_lifts_a_lockout(agent):
    _fail(settings.AXES_FAILURE_LIMIT)
    assert not _log_in("agent", "pw")[1]
    call_command("axes_reset_username", "agent")
    assert _log_in("agent", "pw")[1]


def test_the_login_logs_are_read_only_for_the_admin_role(admin_user, admin_client_role):
    assert admin_client_role.get("/admin/axes/accesslog/").status_code == 200
    assert admin_client_role.get("/admin/axes/accessfailurelog/").status_code == 200
    assert not admin_user.has_perm("axes.delete_accesslog")


@pytest.mark.parametrize("proxies, forwarded, expected", [
    (0, "6.6.6.6", "10.9.9.9"),                   # no proxy of ours: the header is the client's own words
    (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),           # our proxy appended the address it saw
    (2, "6.6.6.6, 1.2.3.4, 10.0.0.5", "1.2.3.4"),  # the outer proxy's entry, not the client's claim
    (1, "", "10.9.9.9"),                          # no header at all: the connection's address
])
def test_x_forwarded_for_counts_only_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post("/login/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_a_forged_forwarded_for_does_not_dodge_the_address_lock(agent):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client = Client(REMOTE_ADDR="10.0.4.1", HTTP_X_FORWARDED_FOR=f"7.7.7.{n}")
        client.post("/login/", {"username": f"guess{n}", "password": "wrong"})
    assert not _log_in("agent", "pw", address="10.0.4.1")[1]


def test_a_user_name_longer_than_any_is_counted_not_a_500(client, db):
    """Found by the fuzz test on PostgreSQL: axes stored the 100,000-character name as typed."""
    from axes.models import AccessAttempt

    response = client.post("/login/", {"username": "x" * 100_000, "password": "y" * 100_000})
    assert response.status_code == 200
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "x" * 150 and attempt.failures_since_start == 1
