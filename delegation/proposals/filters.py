"""Query-string filters for the proposals API list."""

from __future__ import annotations

import django_filters as filters

from ..models import Proposal
from .workflow import Outcome, State


class ProposalFilter(filters.FilterSet):
    system = filters.CharFilter(field_name="system__slug")
    body = filters.CharFilter(field_name="body__slug")
    state = filters.ChoiceFilter(choices=State.choices)
    outcome = filters.ChoiceFilter(choices=Outcome.choices)

    class Meta:
        model = Proposal
        fields = ["system", "body", "state", "outcome"]
