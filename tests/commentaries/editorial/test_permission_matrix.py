"""The admin's permission matrix, generated from the admin's own URL patterns.

Every pattern of admin.site (each model admin's included, the ones inherited from Django and
django-reversion too) that concerns one commentary is requested as every role, for a piece of
the role's own and someone else's, in every state, by GET and by POST (a valid CSRF token and
the data of the form the page offers). Each cell says what the answer must be; where the
answer is a refusal, or the view is one that never writes, the request may send the database no
INSERT, UPDATE or DELETE (sessions and login records aside): every statement is seen, where a
before/after copy of every table (what the browser test across processes compares) would cost
two hundred queries a cell. A pattern added later is in the matrix without anyone listing it: a view this file
does not know gets the strictest expectation (refused unless the role may edit the piece).
"""

import datetime as dt
import re
from dataclasses import dataclass

import reversion
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html
from reversion.models import Version

from commentaries.models import Commentary
from tests.admin_urls import ROOT, admin_patterns, key, parameters, url
from tests.factories import AuthorFactory, CommentaryFactory

ROLES = ["anonymous", "staff", "contributor", "editor", "superuser"]
OWNERS = ["own", "other"]
STATES = ["draft", "review", "scheduled", "published", "withdrawn", "deleted"]
METHODS = ["GET", "POST"]
CSRF = "a" * 32  # the cookie's secret; an unmasked token equal to it is valid
MODEL = "commentaries_commentary"
# The changelist's actions, each POSTed for one piece.
ACTIONS = ["publish_selected", "unpublish_selected", "withdraw_selected", "delete_selected"]
# The change form's submit row: each button POSTed with the form's own data, and what it asks.
BUTTONS = {
    "save": {},
    "submit": {},
    "publish": {},
    "schedule": {
        "schedule_at": (timezone.localtime() + dt.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    },
    "return": {"return_note": "Shorter, please."},
    "unpublish": {},
    "withdraw": {"reason": "Matrix."},
}
# Which states each button moves on, for those whose role allows it at all.
BUTTON_STATES = {
    "save": {"draft", "review", "scheduled", "published", "withdrawn"},
    "submit": {"draft"},
    "publish": {"draft", "review", "scheduled", "withdrawn"},
    "schedule": {"draft", "review", "scheduled"},
    "return": {"review"},
    "unpublish": {"scheduled", "published", "withdrawn"},
    "withdraw": {"published"},
}
# Sessions and login records change with every request and are nobody's content.
UNWATCHED = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


@dataclass(frozen=True)
class Answer:
    statuses: frozenset
    may_write: bool = False

    def __str__(self):
        writes = "may write" if self.may_write else "writes nothing"
        return f"{'/'.join(map(str, sorted(self.statuses)))}, {writes}"


def answer(*statuses, write=False):
    return Answer(frozenset(statuses), write)


LOGIN = answer(302)  # to the login page; checked separately
NOT_FOUND = answer(404)
DENIED = answer(403)
READ = answer(200)


def expected(role, owner, state, view, method):
    """What one cell must answer. `view` is the pattern's key without the model prefix."""
    post = method == "POST"
    if view == "<path:object_id>/":
        # Django's old change address: redirects to change/ for any staff, reveals nothing.
        return LOGIN if role == "anonymous" else answer(302)
    if role == "anonymous":
        return LOGIN
    if view == "recoverlist" or view == "recover":
        return NOT_FOUND  # switched off, for everyone
    if role == "staff":
        return answer(403, 404)  # no group, no commentary
    editor = role in ("editor", "superuser")
    if state == "deleted" or not (editor or owner == "own"):
        if view.startswith("action:"):
            return answer(200, 302)  # nothing selectable: the list again, nothing done
        return NOT_FOUND
    editable = editor or state in ("draft", "review")
    fixed = state in ("published", "withdrawn")  # has been public: the number stays
    match view:
        case "change" | "revision":
            if not post:
                return READ
            return answer(302, write=True) if editable else DENIED
        case "history" | "compare":
            return READ
        case "delete":
            if not editable or fixed:
                return DENIED
            return answer(302, write=True) if post else READ
        case "preview_link":
            if not editor:
                return DENIED
            if post and fixed:
                return DENIED
            return answer(200, write=post)
        case "translate":
            # A confirm page, then (POST) the draft of the translation: whoever may edit.
            if not editable:
                return DENIED
            return answer(302, write=True) if post else READ
        case "view_on_site":
            return answer(302)
        case "action:delete_selected":
            return answer(200, 302, 403, write=editable and not fixed)
        case view if view.startswith("action:"):
            return answer(200, 302, write=editor)
    # A view this file does not know: refused unless the role may edit the piece.
    return answer(200, 302, write=True) if editable else answer(403, 404)


def expected_button(role, owner, state, button):
    """What pressing one button of the change form must answer."""
    refused = expected(role, owner, state, "change", "POST")
    if not refused.may_write:
        return refused  # the form itself is refused: login, 403 or 404
    editor = role in ("editor", "superuser")
    editors_only = button not in ("save", "submit")
    if state in BUTTON_STATES[button] and (editor or not editors_only):
        return answer(302, write=True)
    return answer(200)  # the form again, saying what the buttons allow; nothing written


def piece_patterns():
    """(view key, prefix, pattern) of every admin pattern that concerns one commentary."""
    found = []
    for prefix, entry in admin_patterns():
        name = key(prefix, entry)
        params = parameters(entry.pattern)
        if name == "view_on_site" or (
            name.startswith(f"{MODEL}:") and (params or name == f"{MODEL}:recoverlist")
        ):
            found.append((name.removeprefix(f"{MODEL}:"), prefix, entry))
    return found


def dump(ignore=()):
    """Every row of every table that holds content or records, for before/after comparison."""
    with connection.cursor() as cursor:
        rows = {}
        for table in sorted(set(connection.introspection.table_names()) - UNWATCHED - set(ignore)):
            cursor.execute(f'SELECT * FROM "{table}"')
            rows[table] = sorted(map(repr, cursor.fetchall()))
        return rows


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def written(queries):
    """The tables the captured statements wrote to, sessions and login records aside."""
    tables = (WRITE.match(query["sql"]) for query in queries)
    return sorted({t.group(1) for t in tables if t} - UNWATCHED)


def multi(pairs):
    """Form pairs as the test client takes repeated fields: a list per name."""
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def differences(before, after):
    return {table: "changed" for table in before if before[table] != after[table]}


def form_fields(content):
    """The fields of the page's biggest POST form, as a browser would send them unchanged."""
    page = html.fromstring(content)
    forms = [
        f
        for f in page.forms
        if (f.method or "").upper() == "POST" and "logout" not in (f.action or "")
    ]
    if not forms:
        return []
    form = max(forms, key=lambda f: len(f.inputs))
    return [(k, v) for k, v in form.form_values() if k != "csrfmiddlewaretoken"]


class PermissionMatrix(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.users = {
            "staff": User.objects.create_user("staffer", password="x", is_staff=True),
            "contributor": User.objects.create_user("carol", password="x", is_staff=True),
            "editor": User.objects.create_user("edith", password="x", is_staff=True),
            "superuser": User.objects.create_superuser("root", password="x"),
        }
        cls.users["contributor"].groups.add(Group.objects.get(name="Contributors"))
        cls.users["editor"].groups.add(Group.objects.get(name="Editors"))
        cls.pieces = {}
        owners = [None, *cls.users.values()]
        for owner in owners:
            for state in STATES:
                cls.pieces[owner.pk if owner else None, state] = cls.make(owner, state)

    @classmethod
    def make(cls, owner, state):
        now = timezone.now()
        status = {
            "draft": Commentary.Status.DRAFT,
            "review": Commentary.Status.IN_REVIEW,
            "scheduled": Commentary.Status.PUBLISHED,
            "published": Commentary.Status.PUBLISHED,
            "withdrawn": Commentary.Status.PUBLISHED,
            "deleted": Commentary.Status.DRAFT,
        }[state]
        when = now + dt.timedelta(days=3) if state == "scheduled" else now - dt.timedelta(days=3)
        with reversion.create_revision():
            # Complete (summary, key point, author with a bio): nothing to warn about.
            piece = CommentaryFactory(
                status=status,
                published_at=when,
                created_by=owner,
                topics=["matrix"],
                summary="A summary.",
                key_points=["A key point."],
                authors=[AuthorFactory()],
            )
        with reversion.create_revision():
            piece.title += " (revised)"
            if state == "withdrawn":
                piece.status, piece.withdrawal_reason = Commentary.Status.WITHDRAWN, "Gone."
            piece.save()
        versions = [v.pk for v in Version.objects.get_for_object(piece).order_by("pk")]
        pk = piece.pk
        if state == "deleted":
            with reversion.create_revision():
                piece.delete()
        return pk, versions

    def piece(self, role, owner, state):
        me = self.users.get(role)
        if owner == "own":
            return self.pieces[me.pk if me else None, state]
        someone = self.users["editor"] if role == "contributor" else self.users["contributor"]
        return self.pieces[someone.pk, state]

    def client_as(self, role):
        client = Client(enforce_csrf_checks=True)
        client.cookies["csrftoken"] = CSRF
        if role != "anonymous":
            client.force_login(self.users[role])
        return client

    def address(self, view, prefix, entry, pk, versions):
        values = {
            "object_id": pk,
            "content_type_id": ContentType.objects.get_for_model(Commentary).pk,
            0: versions[0] if view == "recover" else pk,
            1: versions[0],
        }
        path = url(prefix, entry, values)
        if view == "compare":
            path += f"?from={versions[0]}&to={versions[1]}"
        return path

    def offered_data(self, client, superuser, path):
        """The form's own data: the page as this role sees it, else as a superuser does."""
        for who in (client, superuser):
            response = who.get(path)
            if response.status_code == 200:
                fields = form_fields(response.content)
                if fields:
                    return fields
        return [("post", "yes")]  # the confirmation pages' one field

    def cell(self, client, role, owner, state, view, method, path, data, label, want=None):
        want = want or expected(role, owner, state, view, method)
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            if method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, multi([*data, ("csrfmiddlewaretoken", CSRF)]))
            transaction.set_rollback(True)
        with self.subTest(label, expected=str(want)):
            self.assertIn(response.status_code, want.statuses)
            if want == LOGIN and role == "anonymous":
                self.assertTrue(response["Location"].startswith(f"{ROOT}login/"))
            if not want.may_write:
                self.assertEqual(written(queries), [])
        return 1

    def run_role(self, role):
        superuser, client = self.client_as("superuser"), self.client_as(role)
        cells = 0
        patterns = piece_patterns()
        for owner in OWNERS:
            for state in STATES:
                pk, versions = self.piece(role, owner, state)
                for view, prefix, entry in patterns:
                    path = self.address(view, prefix, entry, pk, versions)
                    data = self.offered_data(client, superuser, path)
                    for method in METHODS:
                        label = f"{role} {method} {view} of {owner} {state} piece"
                        cells += self.cell(
                            client, role, owner, state, view, method, path, data, label
                        )
                    if view == "change":
                        cells += self.press_buttons(client, role, owner, state, path, data)
                changelist = f"{ROOT}commentaries/commentary/"
                for action in ACTIONS:
                    data = [("action", action), ("_selected_action", pk), ("index", "0"),
                            ("reason", "Matrix."), ("post", "yes")]  # fmt: skip
                    label = f"{role} POST action {action} on {owner} {state} piece"
                    view = f"action:{action}"
                    cells += self.cell(
                        client, role, owner, state, view, "POST", changelist, data, label
                    )
        return cells

    def press_buttons(self, client, role, owner, state, path, data):
        """Every button of the submit row, whether or not this role's form shows it."""
        cells = 0
        for button, fields in BUTTONS.items():
            pressed = [(k, v) for k, v in data if k not in fields and k != "_action"]
            pressed += [*fields.items(), ("_action", button)]
            want = expected_button(role, owner, state, button)
            label = f"{role} presses {button} on {owner} {state} piece"
            cells += self.cell(
                client, role, owner, state, "change", "POST", path, pressed, label, want
            )
        return cells

    def test_the_matrix_covers_every_piece_view(self):
        views = {view for view, _, _ in piece_patterns()}
        # The inherited views are found, not listed: these must be among them.
        assert {"change", "history", "delete", "revision", "recover", "view_on_site"} <= views
        assert {
            "compare",
            "preview_link",
            "translate",
            "recoverlist",
            "<path:object_id>/",
        } <= views

    def test_anonymous(self):
        assert self.run_role("anonymous")

    def test_staff_without_a_group(self):
        assert self.run_role("staff")

    def test_contributor(self):
        assert self.run_role("contributor")

    def test_editor(self):
        assert self.run_role("editor")

    def test_superuser(self):
        assert self.run_role("superuser")


def cell_count():
    """How many cells the matrix has (for the README and the report)."""
    per_piece = len(piece_patterns()) * len(METHODS) + len(ACTIONS) + len(BUTTONS)
    return len(ROLES) * len(OWNERS) * len(STATES) * per_piece


class StaffWithoutAGroup(TestCase):
    """Every model admin's every address, inherited ones included: nothing for them."""

    OWN_ACCOUNT = {"index", "login", "logout", "password_change", "password_change_done",
                   "jsi18n", "app_list", "(?P<url>.*)$", "autocomplete"}  # fmt: skip

    def test_no_model_admin_address_lets_them_see_or_change_anything(self):
        user = User.objects.create_user("staffer", password="x", is_staff=True)
        client = Client(enforce_csrf_checks=True)
        client.cookies["csrftoken"] = CSRF
        client.force_login(user)
        checked = 0
        for prefix, entry in admin_patterns():
            name = key(prefix, entry)
            if name in self.OWN_ACCOUNT:
                continue
            values = dict.fromkeys(parameters(entry.pattern), 1)
            path = url(prefix, entry, values | {"content_type_id": 1})
            for method in METHODS:
                with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                    if method == "GET":
                        response = client.get(path)
                    else:
                        response = client.post(path, {"csrfmiddlewaretoken": CSRF, "post": "yes"})
                    transaction.set_rollback(True)
                with self.subTest(f"{method} {name}"):
                    self.assertIn(response.status_code, {302, 403, 404})
                    if response.status_code == 302:  # "no such object" (Django's), or change/
                        location = response["Location"]
                        self.assertTrue(location == ROOT or location.endswith("/change/"))
                    self.assertEqual(written(queries), [])
                checked += 1
        assert checked > 80
