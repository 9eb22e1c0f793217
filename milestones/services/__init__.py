"""Every write to programmes and milestones.

Services validate and save atomically, log every change of status, progress, due
date and lead, and keep the roll-up and the lead's object grant in step. They do not
decide who may call them: views, the API and tasks ask ``milestones.permissions``.

A package so that no module outgrows the house limit: ``common`` holds what every
write shares, ``edits`` the writes to one milestone, ``bulk`` the all-or-none update of
many. Callers import from here.
"""

from .bulk import milestone_bulk_update
from .common import EDIT_FIELDS, LOGGED_FIELDS, UPDATE_FIELDS, StaleMilestone
from .edits import milestone_create, milestone_set_lead, milestone_update, programme_create

__all__ = [
    "EDIT_FIELDS",
    "LOGGED_FIELDS",
    "UPDATE_FIELDS",
    "StaleMilestone",
    "milestone_bulk_update",
    "milestone_create",
    "milestone_set_lead",
    "milestone_update",
    "programme_create",
]
