"""The commentary form laid out for writing: key points and authors ordered by the page (never
typed numbers), topics as chips, authorships filled from the author's profile, and the two
JSON lookups behind them."""

import json
import re

import pytest
from django.contrib.auth.models import User
from lxml import html

from commentaries.models import Authorship, Commentary, KeyPoint
from tests.factories import AuthorFactory, AuthorshipFactory, CommentaryFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db
FORM = "commentary_form"
TOPICS = "/admin/editorial/topics/"
PROFILE = "/admin/editorial/author-profile/"


def change_url(piece):
    return f"/admin/commentaries/commentary/{piece.pk}/change/"


@pytest.fixture
def draft(superuser):
    piece = CommentaryFactory(
        status=Commentary.Status.DRAFT,
        created_by=superuser,
        key_points=["First.", "Second.", "Third."],
    )
    return piece


@pytest.fixture
def signed_in(client, superuser):
    client.force_login(superuser)
    return client


def opened(client, piece):
    response = client.get(change_url(piece))
    assert response.status_code == 200
    return response, form_data(response, FORM)


def saved(response):
    assert response.status_code == 302, errors_in(response)


def errors_in(response):
    page = html.fromstring(response.content)
    return [
        " ".join(e.text_content().split())
        for e in page.xpath('//*[contains(@class, "errorlist")]')
    ]


def texts(piece):
    return [point.text for point in piece.ordered_key_points]


# Ordering


def test_the_position_is_no_field_to_type_in(signed_in, draft):
    response, _ = opened(signed_in, draft)
    page = html.fromstring(response.content)
    positions = [i for i in page.xpath("//input") if i.get("name", "").endswith("-position")]
    assert positions and all(field.get("type") == "hidden" for field in positions)
    headers = page.xpath('//*[@id="key_points-group"]//th')
    shown = [th.text_content().strip() for th in headers if "hidden" not in th.classes]
    assert "Text" in shown and "Position" not in shown
    assert "ordered-inline" in page.xpath('//*[@id="key_points-group"]//fieldset')[0].get("class")
    assert "ordered-inline" in page.xpath('//*[@id="authorships-group"]//fieldset')[0].get("class")


def test_the_order_the_page_sends_is_saved(signed_in, draft):
    _, data = opened(signed_in, draft)
    ids = {data[f"key_points-{i}-text"]: i for i in range(3)}
    # The editor dragged Third to the top: the page numbers the rows as shown.
    for text, position in [("Third.", 1), ("First.", 2), ("Second.", 3)]:
        data[f"key_points-{ids[text]}-position"] = str(position)
    saved(signed_in.post(change_url(draft), data))
    draft.refresh_from_db()
    assert texts(draft) == ["Third.", "First.", "Second."]


def test_new_rows_go_to_the_end_not_to_position_0(signed_in, draft):
    _, data = opened(signed_in, draft)
    data |= {
        "key_points-TOTAL_FORMS": "5",
        "key_points-3-position": "0",  # the empty row's value: no move was made
        "key_points-3-text": "Fourth.",
        "key_points-4-text": "Fifth.",  # no position at all (JavaScript off)
        "key_points-4-position": "",
    }
    saved(signed_in.post(change_url(draft), data))
    draft.refresh_from_db()
    assert texts(draft) == ["First.", "Second.", "Third.", "Fourth.", "Fifth."]
    assert [p.position for p in draft.ordered_key_points] == [1, 2, 3, 4, 5]


def test_a_new_row_moved_up_on_the_page_keeps_its_place(signed_in, draft):
    _, data = opened(signed_in, draft)
    data |= {
        "key_points-TOTAL_FORMS": "4",
        "key_points-0-position": "1",
        "key_points-3-position": "2",
        "key_points-3-text": "New second.",
        "key_points-1-position": "3",
        "key_points-2-position": "4",
    }
    saved(signed_in.post(change_url(draft), data))
    draft.refresh_from_db()
    assert texts(draft) == ["First.", "New second.", "Second.", "Third."]


def test_a_new_piece_keeps_its_rows_in_the_order_sent(signed_in, seed):
    first, second = AuthorFactory(), AuthorFactory()
    response = signed_in.get("/admin/commentaries/commentary/add/")
    data = form_data(response, FORM) | {
        "number": "911",
        "title": "Ordered by hand",
        "slug": "ordered-by-hand",
        "status": "draft",
        "body": "<p>Body.</p>",
        "key_points-TOTAL_FORMS": "2",
        "key_points-0-text": "Goes first.",
        "key_points-1-text": "Goes second.",
        "authorships-TOTAL_FORMS": "2",
        "authorships-0-author": str(second.pk),
        "authorships-0-position": "0",
        "authorships-1-author": str(first.pk),
        "authorships-1-position": "0",
    }
    saved(signed_in.post("/admin/commentaries/commentary/add/", data))
    piece = Commentary.objects.get(number=911)
    assert texts(piece) == ["Goes first.", "Goes second."]
    assert piece.ordered_authors == [second, first]
    assert [a.position for a in piece.authorships.order_by("position")] == [1, 2]


# Topics as chips


def test_chips_send_each_name_whole_commas_and_quotes_included(signed_in, draft):
    _, data = opened(signed_in, draft)
    names = ["Korea, South", 'The "comfort women" issue', "Japan"]
    data = {**data, "tags": names, "tags__chips": "1"}
    saved(signed_in.post(change_url(draft), data))
    assert sorted(draft.tags.names()) == sorted(names)
    # And they come back whole: as the chips' data, and as the text input's value.
    response, data = opened(signed_in, draft)
    field = html.fromstring(response.content).get_element_by_id("id_tags")
    assert sorted(json.loads(field.get("data-topics"))) == sorted(names)
    assert field.get("data-suggest-url") == TOPICS
    assert '"Korea, South"' in field.get("value")


def test_without_javascript_the_text_input_still_works(signed_in, draft):
    _, data = opened(signed_in, draft)
    data["tags"] = 'Maritime security, "Korea, South"'
    saved(signed_in.post(change_url(draft), data))
    assert sorted(draft.tags.names()) == ["Korea, South", "Maritime security"]


def test_removing_every_chip_clears_the_topics(signed_in, draft):
    draft.tags.add("Japan")
    _, data = opened(signed_in, draft)
    data.pop("tags")
    saved(signed_in.post(change_url(draft), {**data, "tags__chips": "1"}))
    assert list(draft.tags.names()) == []


def test_the_same_topic_twice_is_one(signed_in, draft):
    _, data = opened(signed_in, draft)
    data = {**data, "tags": ["Japan", " japan ", "JAPAN", "Korea"], "tags__chips": "1"}
    saved(signed_in.post(change_url(draft), data))
    assert sorted(draft.tags.names()) == ["Japan", "Korea"]


@pytest.mark.parametrize(
    ("names", "error"),
    [
        (["Japan", "!!!"], "A topic needs at least one letter or digit: !!!"),
        (["x" * 101], "A topic has at most 100 characters"),
    ],
)
def test_bad_topics_are_refused_with_a_reason(signed_in, draft, names, error):
    _, data = opened(signed_in, draft)
    response = signed_in.post(change_url(draft), {**data, "tags": names, "tags__chips": "1"})
    assert response.status_code == 200
    assert any(error in message for message in errors_in(response))
    # The chips come back as they were sent.
    field = html.fromstring(response.content).get_element_by_id("id_tags")
    assert json.loads(field.get("data-topics")) == names


# The topic lookup


@pytest.fixture
def topics(contributor, editor):
    CommentaryFactory(topics=["Japan", "Japan-ROK relations", "Modern Japan"])  # public
    CommentaryFactory(status=Commentary.Status.DRAFT, created_by=contributor, topics=["Jade"])
    CommentaryFactory(status=Commentary.Status.DRAFT, created_by=editor, topics=["Jasmine"])


def lookup(client, user, url, **params):
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def test_topics_start_with_what_was_typed_first(client, editor, topics):
    response = lookup(client, editor, TOPICS, q="JAP")
    assert response.status_code == 200
    assert response.json() == {"topics": ["Japan", "Japan-ROK relations", "Modern Japan"]}


def test_editors_are_offered_every_topic(client, editor, topics):
    assert lookup(client, editor, TOPICS, q="ja").json()["topics"] == [
        "Jade", "Japan", "Japan-ROK relations", "Jasmine", "Modern Japan",
    ]  # fmt: skip


def test_contributors_meet_only_topics_of_pieces_they_may_see(client, contributor, topics):
    response = lookup(client, contributor, TOPICS, q="ja")
    assert response.status_code == 200
    # Their own draft's and the public pieces', not another's draft's ("Jasmine").
    assert response.json()["topics"] == ["Jade", "Japan", "Japan-ROK relations", "Modern Japan"]


def test_staff_in_no_group_get_no_topics(client, topics):
    staff = User.objects.create_user("staffer", password="x", is_staff=True)
    assert lookup(client, staff, TOPICS, q="ja").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, topics):
    response = lookup(client, None, TOPICS, q="ja")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert "Japan" not in response.content.decode()


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "%", "_", "'", "\\", "𝕏" * 50, "a" * 3000, "ja%_", "<b>", "\u200b", "²"],
)
def test_any_typing_is_answered(client, editor, topics, typed):
    response = lookup(client, editor, TOPICS, q=typed)
    assert response.status_code == 200
    assert isinstance(response.json()["topics"], list)


def test_the_topic_lookup_only_reads(client, editor, topics):
    client.force_login(editor)
    assert client.post(TOPICS, {"q": "ja"}).status_code == 405


# The author profile lookup


@pytest.fixture
def authors(contributor, editor):
    public = AuthorFactory(
        position="Professor", affiliation="Shizuoka University", bio="<p>A bio.</p>"
    )
    CommentaryFactory(authors=[public])
    hidden = AuthorFactory()  # only on another's draft
    CommentaryFactory(status=Commentary.Status.DRAFT, created_by=editor, authors=[hidden])
    return public, hidden


def test_the_profile_as_published(client, editor, authors):
    public, _ = authors
    response = lookup(client, editor, PROFILE, author=public.pk)
    assert response.status_code == 200
    assert response.json() == {
        "position_title": "Professor",
        "affiliation": "Shizuoka University",
        "bio": "<p>A bio.</p>",
    }


def test_contributors_get_the_profiles_they_may_pick(client, contributor, authors):
    public, hidden = authors
    assert lookup(client, contributor, PROFILE, author=public.pk).status_code == 200
    assert lookup(client, contributor, PROFILE, author=hidden.pk).status_code == 404


def test_staff_in_no_group_get_no_profile(client, authors):
    staff = User.objects.create_user("staffer", password="x", is_staff=True)
    assert lookup(client, staff, PROFILE, author=authors[0].pk).status_code == 403


def test_anonymous_visitors_get_no_profile(client, authors):
    response = lookup(client, None, PROFILE, author=authors[0].pk)
    assert response.status_code == 302
    assert "Shizuoka" not in response.content.decode()


@pytest.mark.parametrize(
    "chosen", ["", "abc", "-1", "1.5", "²", "99999999999999999999", "0", "1 OR 1=1", "𝕏"]
)
def test_a_bad_author_is_not_found(client, editor, authors, chosen):
    assert lookup(client, editor, PROFILE, author=chosen).status_code == 404


# Authorships filled from the profile on the server


def test_a_new_authorship_left_blank_is_filled_from_the_profile(signed_in, draft):
    author = AuthorFactory(
        position="Professor", affiliation="Shizuoka University", bio="<p>Profile bio.</p>"
    )
    _, data = opened(signed_in, draft)
    data |= {
        "authorships-TOTAL_FORMS": "1",
        "authorships-0-author": str(author.pk),
        "authorships-0-position_title": "",
        "authorships-0-affiliation": "Visiting, Keio University",  # typed: kept
        "authorships-0-bio": "<p></p>",  # an emptied editor
    }
    saved(signed_in.post(change_url(draft), data))
    authorship = Authorship.objects.get(commentary=draft)
    assert authorship.position_title == "Professor"
    assert authorship.affiliation == "Visiting, Keio University"
    assert authorship.bio == "<p>Profile bio.</p>"
    assert authorship.position == 1


def test_a_field_cleared_on_an_existing_authorship_stays_clear(signed_in, draft):
    authorship = AuthorshipFactory(commentary=draft, affiliation="Old affiliation")
    _, data = opened(signed_in, draft)
    data["authorships-0-affiliation"] = ""
    saved(signed_in.post(change_url(draft), data))
    authorship.refresh_from_db()
    assert authorship.affiliation == ""


def test_another_author_chosen_fills_what_is_blank(signed_in, draft):
    authorship = AuthorshipFactory(commentary=draft)
    other = AuthorFactory(position="Director", affiliation="Another Institute", bio="<p>B.</p>")
    _, data = opened(signed_in, draft)
    data |= {
        "authorships-0-author": str(other.pk),
        "authorships-0-position_title": "",
        "authorships-0-affiliation": "",
        "authorships-0-bio": "",
    }
    saved(signed_in.post(change_url(draft), data))
    authorship.refresh_from_db()
    assert (authorship.author, authorship.position_title, authorship.affiliation) == (
        other,
        "Director",
        "Another Institute",
    )
    assert authorship.bio == "<p>B.</p>"


def test_the_author_box_knows_where_to_ask(signed_in, draft):
    AuthorshipFactory(commentary=draft)
    response, _ = opened(signed_in, draft)
    assert re.search(
        rf'<select name="authorships-0-author" data-profile-url="{PROFILE}"',
        response.content.decode(),
    )
    assert KeyPoint.objects.filter(commentary=draft).count() == 3
