"""Reading: the public pages (home, lists, a piece, series, topics, archive, search results),
citations, page metadata and related pieces.

May import the domain (commentaries.models), commentaries.search (the query),
commentaries.caching (the page cache), authors.models, config.addresses and, for previews of
unpublished pieces, the editorial rules (commentaries.editorial.permissions and .preview). Nothing imports reading but URLs and
templates.
"""
