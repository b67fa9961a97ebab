"""Search: the stored search document of each piece and what keeps it current (index,
signals), and the reader's query and form (query).

May import the domain (commentaries.models), authors.models and config. Imports no other
concern; reading imports its query.
"""
