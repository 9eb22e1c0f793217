from django.urls import reverse

from ics_portal.links import url_pattern


def test_a_pattern_gives_what_reverse_gives_for_any_id():
    pattern = url_pattern("delegation:condition_detail")
    for pk in (1, 42, 987654):
        assert pattern.format(pk) == reverse("delegation:condition_detail", args=[pk])


def test_earlier_arguments_stay_fixed():
    pattern = url_pattern("delegation:body_delegations", "nel")
    assert pattern.format("tht") == reverse("delegation:body_delegations", args=["nel", "tht"])
