"""This app's rows of the edit-form round-trip table (see tests/edit_forms.py).

The landscape is edited in the Django admin (memberships, bodies, organisations): the
admin's change forms are round-tripped for every registered model; these fill the
fields the demo leaves blank.
"""

from __future__ import annotations

import datetime

from governance.models import Membership


def _membership() -> Membership:
    membership = Membership.objects.order_by("pk").first()
    membership.end_date = datetime.date(2027, 3, 31)
    membership.save()
    return membership


EDIT_FORMS: list = []
NOT_EDIT_FORMS: dict = {}
ADMIN_OBJECTS = {Membership: _membership}
