"""Admin logins over plain HTTP, and django-axes locking out repeated failures."""

import datetime as dt

import pytest
import time_machine

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"


def log_in(client, password, username="editor", address="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_logging_in_over_plain_http_works(client, editor):
    response = log_in(client, "a-Pass-12345")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not response.cookies["sessionid"]["secure"]  # DJANGO_HTTPS is off
    assert client.get("/admin/").status_code == 200


def test_five_failures_lock_that_username_from_that_address_out(client, editor):
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200  # the form again, with an error
    assert log_in(client, "wrong").status_code == 429
    locked = log_in(client, "a-Pass-12345")
    assert locked.status_code == 429
    assert "too many login attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address, or another account from this one, is not locked out.
    assert log_in(client, "wrong", username="someone-else").status_code == 200
    assert log_in(client, "a-Pass-12345", address="192.0.2.7").status_code == 302


def test_the_lock_out_ends_after_fifteen_minutes(client, editor):
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(5):
            log_in(client, "wrong")
        assert log_in(client, "a-Pass-12345").status_code == 429
        clock.shift(dt.timedelta(minutes=16))
        assert log_in(client, "a-Pass-12345").status_code == 302


def test_a_success_resets_the_count(client, editor):
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, "a-Pass-12345").status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, "a-Pass-12345").status_code == 302
