"""The editors' desk: the admin's home page (the dashboard), the editorial calendar and its
private iCalendar feed. An app of its own (label "desk") for the one model it keeps, each
editor's calendar feed address.

May import the domain (commentaries.models), the publishing records (review notes) and the
editorial rules (commentaries.editorial.permissions). What alerts and the scholarly record add
to the dashboard comes through providers they name on their AppConfigs (providers.py), so this
package imports neither of them.
"""
