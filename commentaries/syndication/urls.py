from commentaries.syndication.feeds import AuthorFeed, CommentaryFeed, SeriesFeed, TopicFeed
from commentaries.syndication.http import feed_paths

app_name = "syndication"

# Feed addresses are permanent (README.md, "Feeds"): if one ever moves, keep the old one as a 301.
urlpatterns = [
    *feed_paths("", CommentaryFeed, "feed"),
    *feed_paths("series/<slug:slug>/", SeriesFeed, "series-feed"),
    *feed_paths("authors/<slug:slug>/", AuthorFeed, "author-feed"),
    *feed_paths("topics/<str:slug>/", TopicFeed, "topic-feed"),  # /tags/... answers 301
]
