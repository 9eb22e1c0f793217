import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance.models import Body
from papers.models import PaperBuild, Section, SectionKind


def test_implications_print_in_the_seeds_order(draft):
    labels = [label for label, _text in draft.implications]
    assert labels[:2] == ["Equality analysis", "Risk and assurance"]
    assert labels[-1] == "Data protection"


def test_a_section_reads_data_of_its_own_system_only(draft):
    sel_body = Body.objects.filter(system__slug="sel").first()
    section = Section(
        paper=draft, order=9, kind=SectionKind.DECISION_MAP, heading="x", body=sel_body
    )
    with pytest.raises(ValidationError, match="paper's system"):
        section.full_clean()


def test_a_build_vanishes_when_it_stops_moving(draft, persona, settings):
    settings.PAPER_BUILD_STALL_SECONDS = 60
    build = PaperBuild(
        paper=draft, key="c" * 32, requested_by=persona("tht.office"), state="running"
    )
    build.heartbeat_at = timezone.now() - dt.timedelta(seconds=30)
    assert not build.vanished()
    build.heartbeat_at = timezone.now() - dt.timedelta(seconds=90)
    assert build.vanished()
    build.state = "done"
    assert not build.vanished()
