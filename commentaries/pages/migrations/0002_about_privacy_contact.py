"""The site's About, Privacy and Contact pages, for editors to adapt; Editors may add, change
and delete pages, contributors may not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils.html import escape

ABOUT = """<p>{series} is a series of short commentaries on international affairs, written by researchers and published by {publisher}. Each commentary carries a number in the series and keeps its address for good, so that it can be cited; a major correction is noted on the piece itself.</p>
<p>The views expressed in each commentary are its authors' own and should not be attributed to {publisher}.</p>
<p>New commentaries come by e-mail or in a feed reader: see <a href="/subscribe/">Subscribe</a>. To write to the editors, see <a href="/contact/">Contact</a>.</p>"""

PRIVACY = """<p>This notice says what {publisher} keeps about the readers who subscribe to e-mail alerts from {series}, for how long, and how to have it deleted.</p>
<h2>What we keep</h2>
<p>When you subscribe to e-mail alerts we keep:</p>
<ul>
<li>your e-mail address;</li>
<li>what you follow (everything, a series, an author or a topic) and how often you want alerts (each piece, or a weekly digest);</li>
<li>when you asked, when you confirmed, and the page you subscribed on: the record that you agreed to receive alerts;</li>
<li>which alerts and digests were sent to you, and when.</li>
</ul>
<p>So that nobody can use the form to flood a mailbox, a request to subscribe also records the network (IP) address it came from. Nothing is sent to your address but one e-mail asking you to confirm, and nothing more unless you do.</p>
<p>We use your address only to send the alerts you chose. We do not sell it or share it, and the e-mails carry no tracking images. Reading the site needs no account and sets no cookie, and the site uses no analytics or advertising services.</p>
<h2>How long we keep it</h2>
<ul>
<li>Requests to subscribe, confirmed or not, are kept with their network addresses for three days, then deleted.</li>
<li>Your address and what you follow are kept for as long as you are subscribed.</li>
<li>When you unsubscribe, alerts stop at once and what you followed is deleted. Your address and the record of your consent stay until you delete them as below.</li>
</ul>
<h2>How to have it deleted</h2>
<ul>
<li>Every e-mail we send has an <strong>unsubscribe</strong> link: one click stops every alert.</li>
<li>Every e-mail also links to your alert settings, where <strong>Delete everything about me</strong> removes your address and everything kept about it at once.</li>
<li>Or write to us (see <a href="/contact/">Contact</a>) from the subscribed address, and we will delete it for you.</li>
</ul>"""

CONTACT = """<p>To write to the editors of {series} at {publisher}, about a commentary, a correction, permission to republish, or your e-mail alerts, send an e-mail to <a href="mailto:editors@example.org">editors@example.org</a>.</p>
<p>To stop your e-mail alerts at once, use the unsubscribe link at the end of any alert; to have your address deleted, see <a href="/privacy/">Privacy</a>.</p>"""

PAGES = [("About", "about", ABOUT), ("Privacy", "privacy", PRIVACY), ("Contact", "contact", CONTACT)]
EDITOR_PERMISSIONS = ["add_page", "change_page", "delete_page", "view_page"]


def create_pages(apps, schema_editor):
    Series = apps.get_model("commentaries", "Series")
    series = Series.objects.filter(is_primary=True).first()
    names = {
        "series": escape(series.name) if series else "This series",
        "publisher": escape(series.publisher) if series else "its publisher",
    }
    Page = apps.get_model("pages", "Page")
    for title, slug, body in PAGES:
        Page.objects.get_or_create(slug=slug, defaults={"title": title, "body": body.format(**names)})

    # Permissions are normally made after migrating; the group needs them now.
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="pages", codename__in=EDITOR_PERMISSIONS)
    )


def remove_pages(apps, schema_editor):
    apps.get_model("pages", "Page").objects.filter(slug__in=[slug for _, slug, _ in PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("commentaries", "0005_roles"),
    ]

    operations = [migrations.RunPython(create_pages, remove_pages)]
