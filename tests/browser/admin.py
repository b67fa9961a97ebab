"""The admin's people and their signing in, for the browser tests."""

from tests.factories import PASSWORD, staff_member


def sign_in(page, live_server, username):
    """The login form filled in and sent; the admin's home page reached."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def editor_and_contributor():
    """Eddie Editor and Carol Contributor, who sign in as "eddie" and "carol"."""
    editor = staff_member("eddie", "Editors")
    editor.first_name, editor.last_name = "Eddie", "Editor"
    editor.save()
    contributor = staff_member("carol", "Contributors")
    contributor.first_name, contributor.last_name = "Carol", "Contributor"
    contributor.save()
    return editor, contributor
