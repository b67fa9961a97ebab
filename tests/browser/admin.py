"""Signing in to the admin as a person does, for the browser tests."""

from tests.factories import PASSWORD


def sign_in(page, live_server, username):
    """The login form filled in and sent; the admin's home page reached."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
