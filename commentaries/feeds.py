from django.conf import settings
from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.urls import reverse_lazy

from commentaries.models import Commentary


class LatestCommentariesFeed(Feed):
    title = settings.SITE_NAME
    link = reverse_lazy("commentaries:home")
    description = f"The latest commentaries from {settings.SITE_NAME}."

    def items(self):
        return Commentary.objects.published().with_listing_data()[: settings.FEED_LENGTH]

    def item_title(self, item):
        return f"{item.label}: {item.title}"

    def item_description(self, item):
        return render_to_string("commentaries/feed_item.html", {"commentary": item})

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.byline

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_guid(self, item):
        return f"tag:{settings.FEED_TAG_AUTHORITY},{item.series.slug}:{item.number}"

    item_guid_is_permalink = False
