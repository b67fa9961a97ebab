"""Subscribing from a (cached) page, double opt-in, throttling, leaving and changing."""

import datetime as dt
import re

import lxml.html
import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from commentaries.alerts.models import Frequency, SignupRequest, Subscriber, Subscription
from commentaries.models import Series
from tests.commentaries.alerts.helpers import links, parsed
from tests.factories import CommentaryFactory
from tests.ports import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_like(settings):
    """Pages come from the page cache, as readers get them with DEBUG off."""
    settings.DEBUG = False
    settings.SITE_URL = "http://testserver"


def the_form(client, path="/"):
    page = lxml.html.fromstring(client.get(path).content)
    (form,) = page.xpath("//form[@class='subscribe-form']")
    fields = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
    fields |= {i.get("name"): i.get("value") for i in form.xpath(".//input[@checked]")}
    return form, fields


def subscribe(client, address, path="/", **headers):
    form, fields = the_form(client, path)
    return client.post(form.get("action"), {**fields, "email": address}, headers=headers)


def confirmation_path(address):
    message = parsed([m for m in mail.outbox if m.to == [address]][-1])
    (url,) = [u for u in links(message.get_body(("plain",)).get_content()) if "/confirm/" in u]
    return url.removeprefix("http://testserver")


def test_the_form_on_cached_pages_holds_nothing_per_visitor(client, seed):
    first = client.get("/").content
    assert client.get("/").content == first  # the cached copy
    assert b"csrfmiddlewaretoken" not in first
    form, fields = the_form(client)
    assert form.get("method") == "post"
    assert fields == {"follow": "all", "frequency": "each", "source": "/"}


@pytest.mark.parametrize(
    ("path", "follow"),
    [
        ("/series/ajiss-commentary/", "series:ajiss-commentary"),
        ("/authors/junya-nishino/", "author:junya-nishino"),
    ],
)
def test_series_and_author_pages_offer_to_follow_them(client, seed, path, follow):
    assert the_form(client, path)[1]["follow"] == follow


def test_a_topic_page_offers_to_follow_the_topic(client, seed):
    CommentaryFactory(topics=["Maritime security"])
    assert the_form(client, "/topics/maritime-security/")[1]["follow"] == "topic:maritime-security"


@pytest.mark.parametrize("choice", ["series", "author", "topic"])
def test_a_piece_s_form_follows_the_reader_s_choice_of_its_series_author_or_topic(
    client, seed, choice
):
    """The piece offers its series (checked), first author and first topic; the one the
    reader picks is what the confirmed subscription follows."""
    path = seed.get_absolute_url()
    form, fields = the_form(client, path)
    offered = form.xpath(".//input[@name='follow']/@value")
    assert offered == [
        "series:ajiss-commentary",
        "author:junya-nishino",
        f"topic:{seed.ordered_topics[0].slug}",
    ]
    assert fields["follow"] == "series:ajiss-commentary"  # the default
    follow = next(value for value in offered if value.startswith(f"{choice}:"))
    response = client.post(
        form.get("action"), {**fields, "follow": follow, "email": "reader@example.org"}
    )
    assert response.status_code == 200
    Client().post(confirmation_path("reader@example.org"))
    (subscription,) = Subscriber.objects.get(email="reader@example.org").subscriptions.all()
    expected = {
        "series": seed.series,
        "author": seed.authors.get(),
        "topic": seed.ordered_topics[0],
    }[choice]
    assert subscription.target == f"{choice}:{expected.pk}"
    assert subscription.source == path


def test_subscribing_works_with_no_cookie_and_sends_only_a_confirmation(seed):
    browser = Client()  # no CSRF cookie, no session: as after a cached page
    response = subscribe(browser, "Reader@Example.org", Origin="http://testserver")
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    assert not Subscriber.objects.exists()  # nothing but the request until confirmed
    message = parsed(mail.outbox[0])
    assert message.get_body(("html",)) is not None


def test_confirming_takes_a_click_then_records_consent(client, seed):
    subscribe(client, "reader@example.org", "/series/ajiss-commentary/")
    path = confirmation_path("reader@example.org")

    page = client.get(path)  # a link scanner's GET changes nothing
    assert page.status_code == 200 and not Subscriber.objects.exists()
    (form,) = lxml.html.fromstring(page.content).xpath("//main//form[@method='post']")

    assert Client().post(path).status_code == 200  # no cookie needed
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org" and subscriber.consented_at
    (subscription,) = subscriber.subscriptions.all()
    assert subscription.target == f"series:{Series.objects.get(is_primary=True).pk}"
    assert subscription.frequency == Frequency.EACH
    assert subscription.source == "/series/ajiss-commentary/"
    assert len(mail.outbox) == 1  # confirming sends nothing more


def test_a_confirmation_link_expires(client, seed, settings):
    subscribe(client, "reader@example.org")
    path = confirmation_path("reader@example.org")
    later = timezone.now() + dt.timedelta(days=settings.ALERTS_CONFIRM_DAYS, hours=1)
    with time_machine.travel(later):
        assert client.post(path).status_code == 404
        subscribe(client, "someone-else@example.org")  # clears out expired requests
    assert not Subscriber.objects.exists()
    assert list(SignupRequest.objects.values_list("email", flat=True)) == [
        "someone-else@example.org"
    ]


def test_a_tampered_link_is_a_404_not_an_error(client, seed):
    subscribe(client, "reader@example.org")
    path = confirmation_path("reader@example.org")
    assert client.get(path[:-3] + "xyz/").status_code == 404
    assert client.post("/alerts/unsubscribe/1:nonsense/").status_code == 404
    assert client.get("/alerts/preferences/%00/").status_code in (400, 404)


def test_the_answer_is_the_same_whether_or_not_the_address_is_subscribed(client, seed):
    subscribe(client, "reader@example.org")
    client.post(confirmation_path("reader@example.org"))
    known = subscribe(Client(), "reader@example.org")
    unknown = subscribe(Client(), "stranger@example.org")

    def text(response):
        return re.sub(r"\S+@example\.org", "ADDRESS", response.content.decode())

    assert known.status_code == unknown.status_code == 200
    assert text(known) == text(unknown)


def test_a_post_from_another_site_is_refused(seed):
    response = subscribe(Client(), "victim@example.org", Origin="https://evil.example.net")
    assert response.status_code == 403
    response = subscribe(Client(), "victim@example.org", Referer="https://evil.example.net/x")
    assert response.status_code == 403
    assert subscribe(Client(), "victim@example.org", Origin="null").status_code == 403
    assert mail.outbox == [] and not SignupRequest.objects.exists()


def test_bad_input_is_a_clear_400(client, seed):
    form, fields = the_form(client)
    response = client.post(form.get("action"), {**fields, "email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    response = client.post(
        form.get("action"), {**fields, "email": "a@example.org", "follow": "series:nope"}
    )
    assert response.status_code == 400
    assert "does not exist" in response.content.decode()
    assert mail.outbox == [] and not SignupRequest.objects.exists()


def test_one_address_gets_few_confirmations_and_the_answer_does_not_change(seed, settings):
    settings.ALERTS_PER_CLIENT = 100
    answers = {subscribe(Client(), "victim@example.org").status_code for _ in range(6)}
    assert answers == {200}
    assert len(mail.outbox) == settings.ALERTS_PER_ADDRESS


def test_one_client_is_throttled(seed, settings):
    for n in range(settings.ALERTS_PER_CLIENT):
        assert subscribe(Client(), f"reader{n}@example.org").status_code == 200
    response = subscribe(Client(), "one-more@example.org")
    assert response.status_code == 429
    assert response["Retry-After"]
    other_client = Client(REMOTE_ADDR="192.0.2.7")
    assert subscribe(other_client, "one-more@example.org").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        assert subscribe(Client(), "later@example.org").status_code == 200


def test_behind_a_proxy_each_reader_is_throttled_apart_by_the_address_logins_use(seed, settings):
    """Behind a trusted proxy the limit counts the address it appended, not the proxy's own,
    and never the left-most entry a client can write itself."""
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    busy = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7")
    for n in range(settings.ALERTS_PER_CLIENT):
        assert subscribe(busy, f"reader{n}@example.org").status_code == 200
    assert subscribe(busy, "one-more@example.org").status_code == 429
    # Another reader through the same proxy, with the same forged left-most entry: not held.
    other = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.66, 192.0.2.44")
    assert subscribe(other, "someone@example.org").status_code == 200
    assert set(SignupRequest.objects.values_list("client", flat=True)) == {
        "198.51.100.7",
        "192.0.2.44",
    }


def confirmed(client, address, path="/"):
    subscribe(client, address, path)
    client.post(confirmation_path(address))
    return Subscriber.objects.get(email=address)


def preferences_path(client, subscriber):
    from commentaries.alerts.messages import subscriber_links

    return subscriber_links(subscriber)["preferences_url"].removeprefix("http://testserver")


def test_the_confirmed_page_links_to_preferences(client, seed):
    subscribe(client, "reader@example.org")
    page = client.post(confirmation_path("reader@example.org"))
    (url,) = lxml.html.fromstring(page.content).xpath(
        "//a[contains(@href, '/preferences/')]/@href"
    )
    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert url.removeprefix("http://testserver") == preferences_path(client, subscriber)


def unsubscribe_path(subscriber):
    from commentaries.alerts.messages import subscriber_links

    return subscriber_links(subscriber)["unsubscribe_url"].removeprefix("http://testserver")


def test_a_confirmation_link_works_once(client, seed):
    subscribe(client, "reader@example.org")
    link = confirmation_path("reader@example.org")
    assert client.post(link).status_code == 200
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert Subscription.objects.count() == 1


def test_an_old_confirmation_link_never_resubscribes_who_unsubscribed(client, seed):
    """The issue's case: confirmed, then unsubscribed in one click, then the old link again."""
    subscriber = confirmed(client, "reader@example.org")
    link = confirmation_path("reader@example.org")
    Client().post(unsubscribe_path(subscriber), "List-Unsubscribe=One-Click",
                  content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert client.post(link).status_code == 404
    assert not Subscription.objects.exists()


def test_an_unsubscribe_closes_the_links_sent_before_it(client, seed):
    subscriber = confirmed(client, "reader@example.org")
    subscribe(client, "reader@example.org", "/series/ajiss-commentary/")
    pending = confirmation_path("reader@example.org")  # sent, not yet followed
    Client().post(unsubscribe_path(subscriber), "List-Unsubscribe=One-Click",
                  content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert client.get(pending).status_code == 404
    assert client.post(pending).status_code == 404
    assert not Subscription.objects.exists()
    # A request made after leaving is a new consent, and its link works.
    subscribe(client, "reader@example.org", "/series/ajiss-commentary/")
    assert client.post(confirmation_path("reader@example.org")).status_code == 200
    assert list(Subscription.objects.values_list("target", flat=True)) == [
        f"series:{Series.objects.get().pk}"
    ]


def test_stopping_one_subscription_closes_only_its_links(client, seed, settings):
    settings.ALERTS_PER_ADDRESS = 10
    subscriber = confirmed(client, "reader@example.org")
    series = confirmed(client, "reader@example.org", "/series/ajiss-commentary/")
    assert series == subscriber
    everything = subscriber.subscriptions.get(target="all")
    subscribe(client, "reader@example.org")  # "all" once more (pending)
    again_all = confirmation_path("reader@example.org")
    subscribe(client, "reader@example.org", "/series/ajiss-commentary/")
    again_series = confirmation_path("reader@example.org")
    client.post(preferences_path(client, subscriber), {"action": f"stop:{everything.pk}"})
    assert client.post(again_all).status_code == 404
    assert client.post(again_series).status_code == 200


def test_an_editor_removing_an_address_closes_its_links(client, seed, admin_client):
    subscriber = confirmed(client, "reader@example.org")
    subscribe(client, "reader@example.org", "/series/ajiss-commentary/")
    pending = confirmation_path("reader@example.org")
    response = admin_client.post(
        f"/admin/alerts/subscriber/{subscriber.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302 and not Subscriber.objects.exists()
    assert client.post(pending).status_code == 404
    assert not Subscriber.objects.exists()


def test_one_click_unsubscribe_get_shows_a_button_post_leaves(client, seed):
    subscriber = confirmed(client, "reader@example.org")
    from commentaries.alerts.messages import subscriber_links

    url = subscriber_links(subscriber)["unsubscribe_url"].removeprefix("http://testserver")
    page = client.get(url)
    assert page.status_code == 200 and Subscription.objects.exists()
    assert lxml.html.fromstring(page.content).xpath("//main//form[@method='post']//button")
    response = Client().post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_preferences_change_stop_and_delete(client, seed):
    subscriber = confirmed(client, "reader@example.org")
    confirmed(client, "reader@example.org", "/series/ajiss-commentary/")
    path = preferences_path(client, subscriber)
    everything, series = subscriber.subscriptions.order_by("target")

    client.post(path, {"action": f"change:{series.pk}", f"frequency-{series.pk}": "weekly"})
    series.refresh_from_db()
    assert series.frequency == Frequency.WEEKLY
    client.post(path, {"action": f"change:{series.pk}", f"frequency-{series.pk}": "hourly"})
    series.refresh_from_db()
    assert series.frequency == Frequency.WEEKLY  # not a choice: nothing changes

    client.post(path, {"action": f"stop:{everything.pk}"})
    assert list(subscriber.subscriptions.all()) == [series]

    response = client.post(path, {"action": "delete"})
    assert response.status_code == 200
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert client.get(path).status_code == 404


def test_an_unreachable_mail_server_does_not_break_the_page(seed, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    response = subscribe(Client(), "reader@example.org")
    assert response.status_code == 200
    assert SignupRequest.objects.get().sent_at is None
