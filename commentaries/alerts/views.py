"""Subscribing, confirming, changing and leaving.

The subscribe form sits on cached pages (caching.pages, and Varnish in front), so it
carries no CSRF token: a token baked into a cached page would be someone else's. The endpoint
it posts to is exempt from CSRF and relies instead on what makes a forged request harmless:
a cross-site Origin (or Referer) is refused, every request is throttled, and nothing but a
confirmation e-mail is ever sent before the address's owner follows its signed link. The
other views act on signed links (tokens), which a forger cannot know. README.md, "E-mail
alerts", says the same for readers of the code.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from clients.address import client_address
from commentaries.addresses import absolute
from commentaries.alerts import messages, targets, tasks, throttle, tokens
from commentaries.alerts.forms import SubscribeForm
from commentaries.alerts.models import (
    Frequency,
    SignupRequest,
    Subscriber,
    Subscription,
    page_language,
)

# The site's feeds, as the subscribe page lists them (kind in the URL name, label).
FEEDS = [("rss", "RSS"), ("atom", "Atom"), ("json", "JSON Feed")]


def same_origin(request):
    """False when the browser says the form was sent from another site."""
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if origin is None:
        return True  # browsers send Origin with every POST: this is no cross-site form
    here = urlsplit(request.build_absolute_uri("/"))
    there = urlsplit(origin)
    allowed = {(here.scheme, here.netloc)}
    if settings.SITE_URL:
        site = urlsplit(settings.SITE_URL)
        allowed.add((site.scheme, site.netloc))
    return (there.scheme, there.netloc) in allowed


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method != "POST":
        # The form's old address: the page is /subscribe/ now; forms still post here.
        query = request.META.get("QUERY_STRING", "")
        return redirect(reverse("alerts:page") + (f"?{query}" if query else ""), permanent=True)
    if not same_origin(request):
        return render(request, "alerts/refused.html", status=403)
    client = client_address(request)
    if throttle.client_limited(client):
        response = render(request, "alerts/throttled.html", status=429)
        response["Retry-After"] = "3600"
        return response
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/subscribe.html", {"form": form}, status=400)
    email, target = form.cleaned_data["email"], form.cleaned_data["follow"]
    SignupRequest.objects.delete_expired()
    with transaction.atomic():  # the request and its e-mail's task commit together
        row = SignupRequest.objects.create(
            email=email,
            client=client,
            target=target,
            frequency=form.cleaned_data["frequency"],
            language=page_language(),
            source=form.cleaned_data["source"] or (request.headers.get("Referer") or "")[:500],
            mailed=not throttle.address_limited(email),
        )
        if row.mailed:
            # A task, so that a slow or absent mail server never holds up or fails the page.
            tasks.send_confirmation.enqueue(row.pk)
    return render(request, "alerts/requested.html", {"email": email}, status=200)


@require_safe
def subscribe_page(request):
    """E-mail alerts and feeds on one page. ?follow=<kind>:<slug> (as the forms send it) sets
    the form to follow that series, author or topic; one that names nothing sends the reader
    to the page itself, so that made-up values cannot fill the page cache."""
    follow = request.GET.get("follow")
    followed = None
    if follow is not None and follow != "all":
        target = targets.resolve(follow)
        followed = targets.obj_of(target) if target else None
        if followed is None:
            return redirect("alerts:page")
    feeds = [
        (label, absolute(reverse(f"syndication:feed-{kind}"), request)) for kind, label in FEEDS
    ]
    return render(request, "alerts/subscribe_page.html", {"followed": followed, "feeds": feeds})


def invalid_link(request):
    return render(request, "alerts/invalid_link.html", status=404)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows one button (link scanners in mail systems only GET); POST confirms.

    A link works once, and not at all once its address has unsubscribed since it was sent:
    both close the request (SignupRequest.objects.close)."""
    pk = tokens.read(tokens.CONFIRM, token)
    row = SignupRequest.objects.open().filter(pk=pk).first() if pk else None
    if row is None:
        return invalid_link(request)
    context = {"row": row, "target_label": targets.label(row.target)}
    if request.method != "POST":
        return render(request, "alerts/confirm.html", context)
    now = timezone.now()
    with transaction.atomic():
        # Locked and read again: of two clicks at once, or a click and an unsubscribe, the
        # second sees the request closed.
        row = SignupRequest.objects.select_for_update().open().filter(pk=row.pk).first()
        if row is None:
            return invalid_link(request)
        SignupRequest.objects.filter(pk=row.pk).update(closed_at=now)
        subscriber, _ = Subscriber.objects.get_or_create(
            email=row.email, defaults={"source": row.source}
        )
        subscriber.consented_at = subscriber.consented_at or now
        subscriber.disabled_at, subscriber.disabled_reason = None, ""  # the address works
        subscriber.save()
        # Confirmed on another language's page: that language's pieces too.
        followed = Subscription.objects.filter(subscriber=subscriber, target=row.target).first()
        Subscription.objects.update_or_create(
            subscriber=subscriber,
            target=row.target,
            defaults={
                "frequency": row.frequency,
                "languages": followed.add_language(row.language) if followed else row.language,
                "confirmed_at": now,
                "source": row.source,
            },
        )
    links = messages.subscriber_links(subscriber)
    return render(request, "alerts/confirmed.html", {**context, **links})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """RFC 8058 one-click: a POST stops every alert at once, with no login and no further page;
    a GET (a person, or a scanner) shows the one button."""
    pk = tokens.read(tokens.UNSUBSCRIBE, token)
    if pk is None:
        return invalid_link(request)
    if request.method == "POST":
        for subscriber in Subscriber.objects.filter(pk=pk):
            subscriber.stop()
        return render(request, "alerts/unsubscribed.html")
    return render(request, "alerts/unsubscribe.html")


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token):
    pk = tokens.read(tokens.PREFERENCES, token)
    subscriber = Subscriber.objects.filter(pk=pk).first() if pk else None
    if subscriber is None:
        return invalid_link(request)
    if request.method == "POST":
        action = request.POST.get("action", "")
        subscriptions = subscriber.subscriptions.all()
        if action == "delete":
            subscriber.forget()
            return render(request, "alerts/deleted.html")
        verb, _, row = action.partition(":")
        chosen = subscriptions.filter(pk=row) if row.isdigit() else subscriptions.none()
        if verb == "stop-all":
            subscriber.stop()
        elif verb == "stop":
            subscriber.stop(chosen)
        elif verb == "change":
            change(
                chosen,
                request.POST.get(f"frequency-{row}"),
                request.POST.getlist(f"languages-{row}"),
            )
        return redirect(reverse("alerts:preferences", args=[token]))
    rows = [(s, targets.label(s.target)) for s in subscriber.subscriptions.all()]
    return render(
        request,
        "alerts/preferences.html",
        {
            "subscriber": subscriber,
            "rows": rows,
            "choices": SubscribeForm().fields["frequency"].choices,
            "languages": settings.LANGUAGES,
        },
    )


def change(subscriptions, frequency, languages):
    """What the preferences form changed; a value it could not have sent changes nothing, and
    neither does an empty choice of languages (stopping is the Stop button's)."""
    if frequency in Frequency.values:
        subscriptions.update(frequency=frequency)
    chosen = [code for code, _ in settings.LANGUAGES if code in languages]
    if chosen:
        subscriptions.update(languages=" ".join(chosen))
