"""Two-step sign-in: setting it up with an authenticator app, signing in with its codes or a
recovery code, ADMIN_REQUIRE_2FA, and django-axes counting wrong codes."""

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from tests.admin_urls import admin_patterns, key, parameters, url
from tests.factories import PASSWORD, staff_member

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/commentaries/commentary/"
CHANGE_LIST = "/admin/commentaries/commentary/"
CODE = "/admin/account/sign-in/code/"
SET_UP = "/admin/account/two-step/set-up/"
PAGE = "/admin/account/two-step/"
RECOVERY = "/admin/account/two-step/recovery-codes/"
TURN_OFF = "/admin/account/two-step/turn-off/"


@pytest.fixture(autouse=True)
def clock():
    """A fixed clock, moved on by hand: each code is good for one 30-second step, once."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC), tick=False) as c:
        yield c


def app_code(device, steps_ahead=0):
    """The six digits the person's app shows now (or that many 30-second steps later)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, steps_ahead):06d}"


def turned_on(user):
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device, two_factor.new_recovery_codes(user)


def password_step(client, username, password=PASSWORD, address="127.0.0.1", login=LOGIN):
    return client.post(login, {"username": username, "password": password}, REMOTE_ADDR=address)


def code_step(client, code, address="127.0.0.1"):
    return client.post(CODE, {"code": code}, REMOTE_ADDR=address)


def signed_in(client):
    return "_auth_user_id" in client.session


def test_turning_it_on_with_a_first_code_from_the_app(client, contributor, clock):
    client.force_login(contributor)
    assert "is <strong>off</strong>" in client.get(PAGE).content.decode()
    page = client.get(SET_UP).content.decode()
    device = TOTPDevice.objects.get(user=contributor, confirmed=False)
    assert 'src="data:image/svg+xml' in page  # the QR code
    assert two_factor.secret(device) in page  # and the key to type in
    assert device.config_url.startswith("otpauth://totp/AJISS-Commentary%3Acontributor?")

    wrong = client.post(SET_UP, {"code": f"{(int(app_code(device)) + 1) % 10**6:06d}"})
    assert wrong.status_code == 200 and "did not work" in wrong.content.decode()
    assert not two_factor.is_on(contributor)

    clock.shift(dt.timedelta(seconds=2))  # django-otp's own one-second wait after a miss
    response = client.post(SET_UP, {"code": app_code(device)})
    assert response.status_code == 302 and response["Location"] == RECOVERY
    assert two_factor.is_on(contributor)
    shown = client.get(RECOVERY).content.decode()
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", shown)
    assert len(codes) == 10
    stored = set(
        StaticToken.objects.filter(device__user=contributor).values_list("token", flat=True)
    )
    assert {c.replace("-", "") for c in codes} == stored
    assert client.get(RECOVERY)["Location"] == PAGE  # shown once only
    assert client.get(CHANGE_LIST).status_code == 200  # this session did the second step
    assert "is <strong>on</strong>" in client.get(PAGE).content.decode()


def test_without_two_step_the_password_signs_in(client, contributor):
    response = password_step(client, "contributor")
    assert response.status_code == 302 and response["Location"] == CHANGE_LIST
    assert client.get(CHANGE_LIST).status_code == 200


def test_with_two_step_the_password_alone_does_not_sign_in(client, contributor, clock):
    device, _ = turned_on(contributor)
    response = password_step(client, "contributor")
    assert response.status_code == 302 and response["Location"] == CODE
    assert not signed_in(client)
    assert client.get(CHANGE_LIST)["Location"].startswith("/admin/login/")
    assert "six-digit code" in client.get(CODE).content.decode()

    refused = code_step(client, f"{(int(app_code(device)) + 1) % 10**6:06d}")
    assert refused.status_code == 200 and not signed_in(client)
    clock.shift(dt.timedelta(seconds=2))
    response = code_step(client, app_code(device))
    assert response.status_code == 302 and response["Location"] == CHANGE_LIST
    assert signed_in(client)
    assert client.get(CHANGE_LIST).status_code == 200
    # The same code does not work twice.
    client.logout()
    password_step(client, "contributor")
    assert code_step(client, app_code(device)).status_code == 200
    assert not signed_in(client)


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_required_the_password_alone_opens_no_admin_page(client, settings, role, request, clock):
    settings.ADMIN_REQUIRE_2FA = True
    user = request.getfixturevalue(role)
    response = password_step(client, user.username)
    assert response.status_code == 302 and response["Location"] == SET_UP
    assert not signed_in(client)
    for address in ["/admin/", CHANGE_LIST, "/admin/commentaries/commentary/add/",
                "/admin/password_change/", "/admin/auth/user/", PAGE]:  # fmt: skip
        assert client.get(address).status_code == 302, address
        assert client.get(address)["Location"].startswith("/admin/login/"), address
    page = client.get(SET_UP)
    assert page.status_code == 200 and "must be protected" in page.content.decode()

    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(SET_UP, {"code": app_code(device)})["Location"] == RECOVERY
    assert signed_in(client)
    continue_to = re.search(
        r'href="([^"]+)">I have kept them', client.get(RECOVERY).content.decode()
    )
    assert continue_to.group(1) == CHANGE_LIST  # where they were going
    assert client.get(CHANGE_LIST).status_code == 200

    # The next time: password, then a code.
    client.logout()
    clock.shift(dt.timedelta(seconds=30))
    assert password_step(client, user.username)["Location"] == CODE
    assert code_step(client, app_code(device))["Location"] == CHANGE_LIST
    assert client.get(CHANGE_LIST).status_code == 200


def test_required_only_of_editors_and_superusers(client, settings, contributor):
    settings.ADMIN_REQUIRE_2FA = True
    assert password_step(client, "contributor")["Location"] == CHANGE_LIST
    assert client.get(CHANGE_LIST).status_code == 200
    assert "Turn off two-step sign-in" not in client.get(PAGE).content.decode()


def test_a_contributor_who_turned_it_on_needs_the_code_when_it_is_required(
    client, settings, contributor
):
    settings.ADMIN_REQUIRE_2FA = True
    turned_on(contributor)
    assert password_step(client, "contributor")["Location"] == CODE
    assert client.get(CHANGE_LIST).status_code == 302


def test_a_session_signed_in_before_it_was_required_is_sent_to_set_it_up(client, settings, editor):
    client.force_login(editor)
    assert client.get(CHANGE_LIST).status_code == 200
    settings.ADMIN_REQUIRE_2FA = True
    response = client.get(CHANGE_LIST)
    assert response.status_code == 302 and response["Location"] == SET_UP
    assert not signed_in(client)
    assert client.get(SET_UP).status_code == 200


def test_such_a_session_opening_the_sign_in_page_is_sent_on_too(client, settings, editor):
    client.force_login(editor)
    settings.ADMIN_REQUIRE_2FA = True
    assert client.get(LOGIN)["Location"] == SET_UP
    assert client.session["accounts_pending_sign_in"]["next"] == CHANGE_LIST


def test_a_session_signed_in_before_an_app_was_set_up_elsewhere_is_asked_for_a_code(
    client, contributor
):
    client.force_login(contributor)
    turned_on(contributor)
    assert client.get(CHANGE_LIST)["Location"] == CODE
    assert not signed_in(client)


def test_a_recovery_code_works_once(client, contributor):
    _, codes = turned_on(contributor)
    password_step(client, "contributor")
    response = code_step(client, f" {codes[3][:4].upper()}-{codes[3][4:]} ")  # as people type
    assert response.status_code == 302 and signed_in(client)
    assert "recovery code" in client.get(CHANGE_LIST).content.decode()  # the warning
    assert not StaticToken.objects.filter(token=codes[3]).exists()
    client.logout()
    password_step(client, "contributor")
    again = code_step(client, codes[3])
    assert again.status_code == 200 and not signed_in(client)
    assert "did not work" in again.content.decode()
    assert two_factor.recovery_codes_left(contributor) == 9


def test_new_recovery_codes_replace_the_old_ones(client, contributor):
    device, old = turned_on(contributor)
    client.force_login(contributor)
    assert client.get(PAGE).status_code == 302  # a session without the code is asked for it
    password_step(client, "contributor")
    code_step(client, old[0])
    assert "9 recovery codes left" in client.get(PAGE).content.decode()
    assert client.post(RECOVERY)["Location"] == RECOVERY
    new = re.findall(r"<code>(\w{4})-(\w{4})</code>", client.get(RECOVERY).content.decode())
    assert len(new) == 10
    assert not StaticToken.objects.filter(token__in=old).exists()
    assert "10 recovery codes left" in client.get(PAGE).content.decode()


def test_wrong_codes_are_failed_logins_for_axes(client, contributor, clock):
    device, codes = turned_on(contributor)
    wrong = f"{(int(app_code(device)) + 1) % 10**6:06d}"
    password_step(client, "contributor")
    for _ in range(3):
        assert code_step(client, wrong).status_code == 200
        clock.shift(dt.timedelta(seconds=10))
    # The right password again does not wipe the count: the login is not complete.
    password_step(client, "contributor")
    assert code_step(client, "zzzz-zzzz").status_code == 200
    locked = code_step(client, wrong)
    assert locked.status_code == 429 and "too many login attempts" in locked.content.decode()
    attempt = AccessAttempt.objects.get(username="contributor")
    assert attempt.failures_since_start == 5
    assert wrong not in attempt.post_data and "zzzz" not in attempt.post_data  # masked
    # Locked out: the right code is refused, and so is the password.
    assert code_step(client, app_code(device)).status_code == 429
    assert code_step(client, codes[0]).status_code == 429
    assert not signed_in(client)
    assert password_step(client, "contributor").status_code == 429
    # From another address the pair is not locked (once django-otp's own back-off of the
    # app's 4 misses in a row, 8 seconds, has passed); after the cool-off, here neither.
    clock.shift(dt.timedelta(seconds=8))
    other = password_step(client, "contributor", address="192.0.2.9")
    assert other["Location"] == CODE
    assert code_step(client, app_code(device), address="192.0.2.9").status_code == 302
    clock.shift(dt.timedelta(minutes=16))
    client.logout()
    password_step(client, "contributor")
    assert code_step(client, app_code(device)).status_code == 302


def test_a_completed_sign_in_resets_the_count(client, contributor, clock):
    device, _ = turned_on(contributor)
    password_step(client, "contributor")
    for _ in range(4):
        code_step(client, "000000")
        clock.shift(dt.timedelta(seconds=20))
    assert code_step(client, app_code(device)).status_code == 302
    assert not AccessAttempt.objects.filter(username="contributor").exists()


def test_wrong_codes_while_setting_up_count_too(client, settings, editor, clock):
    settings.ADMIN_REQUIRE_2FA = True
    password_step(client, "editor")
    for _ in range(4):
        assert client.post(SET_UP, {"code": "000000"}).status_code == 200
        clock.shift(dt.timedelta(seconds=20))
    assert client.post(SET_UP, {"code": "000000"}).status_code == 429
    device = TOTPDevice.objects.get(user=editor)
    assert client.post(SET_UP, {"code": app_code(device)}).status_code == 429
    assert not two_factor.is_on(editor)


def test_an_address_locked_out_for_spraying_is_refused_at_the_code_step(
    client, settings, contributor
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    device, _ = turned_on(contributor)
    password_step(client, "contributor")
    for n in range(3):
        password_step(client, f"nobody{n}", password="wrong")
    assert code_step(client, app_code(device)).status_code == 429
    assert not signed_in(client)


def test_nobody_sees_or_removes_anyone_else_s_devices(client, contributor, editor, clock):
    theirs, their_codes = turned_on(editor)
    client.force_login(contributor)
    page = client.get(PAGE).content.decode()
    assert "is <strong>off</strong>" in page
    # Setting up shows a new secret of one's own, never theirs.
    client.get(SET_UP)
    mine = TOTPDevice.objects.get(user=contributor)
    assert two_factor.secret(theirs) not in client.get(SET_UP).content.decode()
    # Their code does not confirm my set-up; forged device ids in the form change nothing.
    forged = {"code": app_code(theirs), "device": theirs.persistent_id,
              "otp_device": theirs.persistent_id, "user": editor.pk}  # fmt: skip
    assert client.post(SET_UP, forged).status_code == 200
    assert not two_factor.is_on(contributor)
    clock.shift(dt.timedelta(seconds=2))
    client.post(SET_UP, {"code": app_code(mine), "device": theirs.persistent_id})
    assert two_factor.is_on(contributor)
    client.get(RECOVERY)
    client.post(TURN_OFF, {"password": PASSWORD, "device": theirs.persistent_id})
    client.post(RECOVERY, {"device": f"otp_static.staticdevice/{their_codes and 1}"})
    assert not two_factor.is_on(contributor)
    assert TOTPDevice.objects.filter(pk=theirs.pk, confirmed=True).exists()
    assert set(
        StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)
    ) == set(their_codes)
    # Their codes never complete my sign-in.
    client.logout()
    turned_on(contributor)
    password_step(client, "contributor")
    assert code_step(client, app_code(theirs)).status_code == 200
    assert code_step(client, their_codes[0]).status_code == 200
    assert not signed_in(client)
    # django-otp's own device admins, which list everyone's, are not offered.
    admin = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    client.force_login(admin)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404
    assert "otp_totp" not in client.get("/admin/").content.decode().lower()


@pytest.mark.parametrize(
    "code",
    ["", "   ", "x" * 5000, "\x00", "１２３４５６", "12345678901234567890", "<script>", "' OR 1=1 --",
     "-1", "1e6", "999999999999999999999999", "🙂🙂🙂", "abcd-efgh-ijkl"],
)  # fmt: skip
def test_no_error_on_garbage_codes(client, settings, editor, code):
    settings.ADMIN_REQUIRE_2FA = True
    password_step(client, "editor")
    assert client.post(SET_UP, {"code": code}).status_code in (200, 400)
    turned_on(editor)
    assert code_step(client, code).status_code in (200, 400)
    assert code_step(client, code, address="192.0.2.1").status_code in (200, 400)
    assert not signed_in(client)


def test_no_error_on_forged_or_missing_sign_in_state(client, contributor):
    assert client.get(CODE)["Location"] == "/admin/login/"  # nobody between the steps
    assert client.post(CODE, {"code": "123456"})["Location"] == "/admin/login/"
    assert client.get(SET_UP)["Location"] == "/admin/login/"
    assert client.post(RECOVERY)["Location"] == "/admin/login/"
    assert client.post(TURN_OFF, {"password": PASSWORD})["Location"] == "/admin/login/"
    for forged in [{"user": "999999"}, {"user": "x", "since": "soon"}, "a string", [1, 2],
                   {"user": str(contributor.pk), "hash": "forged", "since": 2e12}]:  # fmt: skip
        session = client.session
        session["accounts_pending_sign_in"] = forged
        session.save()
        assert client.get(CODE).status_code == 302
        assert client.post(CODE, {"code": "123456"}).status_code == 302
        assert not signed_in(client)
    assert client.get(CODE + "?next=https://evil.example/").status_code == 302


def test_only_addresses_on_this_site_are_followed_after_the_code(client, contributor):
    device, _ = turned_on(contributor)
    password_step(client, "contributor", login="/admin/login/?next=https://evil.example/")
    assert code_step(client, app_code(device))["Location"] == "/admin/"


def test_a_sign_in_waits_ten_minutes_for_its_code(client, contributor, clock):
    device, _ = turned_on(contributor)
    password_step(client, "contributor")
    clock.shift(dt.timedelta(minutes=11))
    response = code_step(client, app_code(device))
    assert response["Location"] == "/admin/login/" and not signed_in(client)


def test_a_changed_password_ends_the_sign_in_between_its_steps(client, contributor):
    device, _ = turned_on(contributor)
    password_step(client, "contributor")
    contributor.set_password("another-Pass-678")
    contributor.save()
    assert code_step(client, app_code(device))["Location"] == "/admin/login/"
    assert not signed_in(client)


def test_start_again_forgets_who_was_signing_in(client, contributor):
    turned_on(contributor)
    password_step(client, "contributor")
    assert client.post("/admin/account/sign-in/cancel/")["Location"] == "/admin/login/"
    assert client.get(CODE)["Location"] == "/admin/login/"


def test_turning_it_off_needs_the_password(client, contributor, clock):
    device, _ = turned_on(contributor)
    password_step(client, "contributor")
    code_step(client, app_code(device))
    assert client.get(TURN_OFF).status_code == 200
    wrong = client.post(TURN_OFF, {"password": "not-it"})
    assert wrong.status_code == 200 and "not your password" in wrong.content.decode()
    assert AccessAttempt.objects.get(username="contributor").failures_since_start == 1
    assert client.post(TURN_OFF, {"password": PASSWORD})["Location"] == PAGE
    assert not TOTPDevice.objects.filter(user=contributor).exists()
    assert not StaticDevice.objects.filter(user=contributor).exists()
    assert client.get(CHANGE_LIST).status_code == 200  # still signed in
    client.logout()
    assert password_step(client, "contributor")["Location"] == CHANGE_LIST


def test_those_who_must_use_it_cannot_turn_it_off(client, settings, editor, clock):
    settings.ADMIN_REQUIRE_2FA = True
    device, _ = turned_on(editor)
    password_step(client, "editor")
    code_step(client, app_code(device))
    assert "has to stay on" in client.get(PAGE).content.decode()
    assert client.post(TURN_OFF, {"password": PASSWORD})["Location"] == PAGE
    assert two_factor.is_on(editor)


def test_a_new_phone_replaces_the_old_one(client, contributor, clock):
    old, _ = turned_on(contributor)
    password_step(client, "contributor")
    code_step(client, app_code(old))
    client.get(SET_UP)
    new = TOTPDevice.objects.get(user=contributor, confirmed=False)
    assert two_factor.is_on(contributor)  # the old one works until the new one is confirmed
    clock.shift(dt.timedelta(seconds=30))
    assert client.post(SET_UP, {"code": app_code(new)})["Location"] == RECOVERY
    assert list(TOTPDevice.objects.filter(user=contributor)) == [new]
    assert client.get(CHANGE_LIST).status_code == 200


def test_every_admin_page_links_to_the_two_step_page(client, editor):
    client.force_login(editor)
    assert f'href="{PAGE}"' in client.get(CHANGE_LIST).content.decode()


def test_an_administrator_can_turn_it_off_for_someone(editor):
    turned_on(editor)
    call_command("reset_two_factor", "editor")
    assert not two_factor.is_on(editor)
    assert not StaticDevice.objects.filter(user=editor).exists()


def test_required_is_read_from_the_environment():
    from tests.config.test_settings import production_env, python_says

    code = "print(settings.ADMIN_REQUIRE_2FA)"
    assert python_says(code, production_env()) == "False"
    assert python_says(code, production_env(ADMIN_REQUIRE_2FA="1")) == "True"


def test_staff_member_helper_roles():
    """The roles the rule reads: editors may publish, contributors may not."""
    assert two_factor.EDITOR_PERMISSION == "commentaries.publish_commentary"
    assert staff_member("e2", "Editors").has_perm(two_factor.EDITOR_PERMISSION)
    assert not staff_member("c2", "Contributors").has_perm(two_factor.EDITOR_PERMISSION)


@pytest.mark.parametrize("how", ["password step", "session from before"])
def test_no_admin_address_opens_without_the_second_step(client, settings, editor, seed, how):
    """Every address the admin answers (read from its URL patterns), for an editor who must use
    two-step sign-in and has given only the password: the sign-in page, or a redirect."""
    settings.ADMIN_REQUIRE_2FA = True
    checked = 0
    for prefix, entry in admin_patterns():
        name = key(prefix, entry)
        if name == "login":
            continue
        if how == "password step":
            password_step(client, "editor")
        else:
            client.force_login(editor)
        values = dict.fromkeys(parameters(entry.pattern), seed.pk)
        path = url(prefix, entry, values | {"content_type_id": 1, "url": "x/"})
        for response in (client.get(path), client.post(path, {"post": "yes"})):
            assert response.status_code == 302, (name, path, response.status_code)
            assert response["Location"].split("?")[0] in ("/admin/login/", "/admin/", SET_UP)
            assert not signed_in(client)
        checked += 1
    assert checked > 50
