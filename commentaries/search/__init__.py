"""Search: the stored search document of each piece and what keeps it current (index,
signals), and the reader's query and form (query).

May import the domain (commentaries.models), authors.models, config and commentaries.caching
(its filter choices are kept per generation of the content). Imports no other concern;
reading imports its query.
"""
