"""Pages editors write in the admin: About, Privacy, Contact and any other at /<slug>/.

Owns the Page model (sanitised rich text, revisions through django-reversion), its admin, and
the public view the URL configuration places last, so that it never shadows another address.
It may import the domain (commentaries.html, commentaries.rich_text) and the page cache;
nothing imports it but the URL configuration and templates that link to its pages.
"""
