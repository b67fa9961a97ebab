"""Two editors pressing Save at the same moment, on PostgreSQL, in two real transactions.

Each request runs in a thread of its own, so on its own database connection. A barrier holds
both right before their check (stale save, number taken) until both have got there: without
the row locks both checks would pass and both saves land.
"""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from commentaries.editorial.forms import CommentaryAdminForm
from commentaries.models import Commentary
from tests.factories import CommentaryFactory
from tests.forms import form_data

# serialized_rollback: the database is given back as it was (seed, groups, content types),
# so the tests after these find what the migrations made.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ADMIN = "/admin/commentaries/commentary/"


def editor(name):
    # Superusers: a transactional test's flush removes the groups the migrations made.
    user = User.objects.create_superuser(name, password="a-Pass-12345")
    client = Client()
    client.force_login(user)
    return client


def hold_at(monkeypatch, method):
    """Both requests wait at the start of `method` until the other is there too."""
    barrier = threading.Barrier(2, timeout=30)
    original = getattr(CommentaryAdminForm, method)

    def held(self, *args):
        barrier.wait()
        return original(self, *args)

    monkeypatch.setattr(CommentaryAdminForm, method, held)


def at_once(*requests):
    """Run each request in its own thread (its own connection); their responses, in order."""
    responses = [None] * len(requests)

    def run(index, request):
        try:
            responses[index] = request()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def test_two_saves_at_the_same_moment_cannot_both_succeed(monkeypatch):
    piece = CommentaryFactory(title="Before")
    ann, ben = editor("ann"), editor("ben")
    forms = {
        name: form_data(who.get(f"{ADMIN}{piece.pk}/change/"), "commentary_form")
        for name, who in (("ann", ann), ("ben", ben))
    }
    hold_at(monkeypatch, "refuse_stale_save")
    responses = at_once(
        lambda: ann.post(f"{ADMIN}{piece.pk}/change/", {**forms["ann"], "title": "By Ann"}),
        lambda: ben.post(f"{ADMIN}{piece.pk}/change/", {**forms["ben"], "title": "By Ben"}),
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 302]
    [lost] = [response for response in responses if response.status_code == 200]
    winner = "ann" if lost is responses[1] else "ben"
    page = lost.content.decode()
    assert f"{winner} saved this commentary at" in page
    loser_title = "By Ben" if winner == "ann" else "By Ann"
    assert f'value="{loser_title}"' in page  # their text is still in the form
    piece.refresh_from_db()
    assert piece.title == ("By Ann" if winner == "ann" else "By Ben")


def test_two_new_pieces_proposed_the_same_number_get_a_form_error_not_a_500(monkeypatch):
    CommentaryFactory(number=300)
    ann, ben = editor("ann"), editor("ben")
    forms = {}
    for name, who in (("ann", ann), ("ben", ben)):
        forms[name] = form_data(who.get(f"{ADMIN}add/"), "commentary_form")
        assert forms[name]["number"] == "301"
    hold_at(monkeypatch, "refuse_taken_number")

    def add(who, name):
        data = {**forms[name], "title": f"{name} adds", "slug": name, "body": "<p>x</p>"}
        return who.post(f"{ADMIN}add/", data)

    responses = at_once(lambda: add(ann, "ann"), lambda: add(ben, "ben"))
    assert sorted(response.status_code for response in responses) == [200, 302]
    [refused] = [response for response in responses if response.status_code == 200]
    assert "No.301 is already taken" in refused.content.decode()
    assert "the next free number is 302." in refused.content.decode()
    assert Commentary.objects.filter(number=301).count() == 1
