import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import Resolver404, resolve, reverse

from commentaries.html import sanitise_html

PAGE_VIEW = "pages:page"


@reversion.register()
class Page(models.Model):
    """A page editors write, such as About, Privacy or Contact, served at /<slug>/."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The page's address: /<slug>/. Changing it breaks links to the old one.",
    )
    body = models.TextField(help_text="The page's text (HTML, cleaned on save).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitise_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(PAGE_VIEW, kwargs={"slug": self.slug})

    def clean(self):
        # The pages' route comes last (config/urls.py): a slug another address already answers
        # would make a page nobody can reach.
        if self.slug and address_taken(self.slug):
            raise ValidationError(
                {"slug": f"/{self.slug}/ is another part of the site; choose another address."}
            )


def address_taken(slug):
    """True when /<slug>/ is answered by a view other than the pages' own, or is (or may
    become, when SITE_LANGUAGE changes) a language's prefix: /ja/."""
    if slug.lower() in dict(settings.LANGUAGES):
        return True
    try:
        return resolve(f"/{slug}/").view_name != PAGE_VIEW
    except Resolver404:
        return False
