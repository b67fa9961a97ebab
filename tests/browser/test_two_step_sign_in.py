"""Two-step sign-in in Chromium: an editor who must use it sets it up from the key the page
shows, signs out, and signs in again with a code, at a desktop's width and a phone's."""

from base64 import b32decode

import pytest
from django.contrib.auth.models import Group, User
from django_otp.oath import totp
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a-Pass-12345"


def editor(username):
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def typed_key(page):
    """The key on the set-up page, as someone types it into an authenticator app."""
    key = page.locator(".two-step-secret code").text_content().replace(" ", "")
    return b32decode(key + "=" * (-len(key) % 8))


def app_code(key, steps_ahead=0):
    """What the app shows now (or that many 30-second steps later)."""
    return f"{totp(key, drift=steps_ahead):06d}"


def fresh_code(key, spent):
    """The app's code once `spent` has been used: a code works once, so wait for the next."""
    return next(c for c in (app_code(key), app_code(key, 1)) if c != spent)


def password_step(page, url, username):
    page.goto(f"{url}/admin/login/?next=/admin/commentaries/commentary/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_an_editor_sets_up_two_step_sign_in_and_signs_in_with_a_code(
    page, browser, live_server, settings, tmp_path
):
    settings.ADMIN_REQUIRE_2FA = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    editor("eddie")
    url = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # The password alone leads to setting up, not to the commentaries.
    password_step(page, url, "eddie")
    expect(page.locator("h1")).to_have_text("Set up two-step sign-in")
    expect(page.locator("img.two-step-qr")).to_be_visible()
    page.goto(f"{url}/admin/commentaries/commentary/")
    expect(page).to_have_url(f"{url}/admin/login/?next=/admin/commentaries/commentary/")
    page.go_back()
    page.screenshot(path=tmp_path / "set-up-1280.png", full_page=True)

    page.get_by_text("Cannot scan it?").click()
    expect(page.locator(".two-step-secret code")).to_be_visible()
    key = typed_key(page)
    page.get_by_label("Six-digit code").fill("000000" if app_code(key) != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator(".errornote")).to_contain_text("did not work")
    page.wait_for_timeout(1100)  # django-otp's one-second wait after a wrong code
    first = app_code(key)
    page.get_by_label("Six-digit code").fill(first)
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    expect(page.locator("h1")).to_have_text("Your recovery codes")
    expect(page.locator(".messagelist")).to_contain_text("Two-step sign-in is on.")
    codes = page.locator(".recovery-codes code").all_text_contents()
    assert len(codes) == 10
    page.screenshot(path=tmp_path / "recovery-codes-1280.png", full_page=True)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page).to_have_url(f"{url}/admin/commentaries/commentary/")

    page.get_by_role("link", name="Two-step sign-in").click()
    expect(page.locator("#content-main")).to_contain_text("Two-step sign-in is on")
    expect(page.locator("#content-main")).to_contain_text("10 recovery codes left")
    page.screenshot(path=tmp_path / "two-step-1280.png", full_page=True)

    page.get_by_role("button", name="Log out").click()
    password_step(page, url, "eddie")
    expect(page.locator("h1")).to_have_text("Enter your code")
    page.screenshot(path=tmp_path / "code-1280.png", full_page=True)
    page.get_by_label("Code").fill(fresh_code(key, spent=first))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{url}/admin/commentaries/commentary/")

    # A phone's width: signing in with a recovery code.
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    password_step(phone, url, "eddie")
    expect(phone.locator("h1")).to_have_text("Enter your code")
    phone.screenshot(path=tmp_path / "code-390.png", full_page=True)
    phone.get_by_text("No phone to hand?").click()
    phone.get_by_label("Code").fill(codes[0].upper())
    phone.get_by_role("button", name="Sign in").click()
    expect(phone).to_have_url(f"{url}/admin/commentaries/commentary/")
    expect(phone.locator(".messagelist")).to_contain_text("recovery code")
    phone.screenshot(path=tmp_path / "after-recovery-code-390.png", full_page=True)

    # And setting up on a phone's screen.
    editor("edna")
    phone.get_by_role("button", name="Log out").click()
    password_step(phone, url, "edna")
    expect(phone.locator("h1")).to_have_text("Set up two-step sign-in")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the set-up page is {width} px wide at 390"
    phone.screenshot(path=tmp_path / "set-up-390.png", full_page=True)
    phone.close()
