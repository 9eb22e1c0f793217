"""``manage.py load_demo``: the demo landscape, its personas, idempotence and its guards.

The session database already holds the demo (see conftest.py), so each test here runs
the command a second time, or undoes a piece of the demo and checks what a run does.
"""

from __future__ import annotations

import io
import textwrap

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from governance import demo
from governance.management.commands import load_demo
from governance.models import (
    Body,
    BodyKind,
    ChairType,
    GovernanceForm,
    IntegratedCareSystem,
    Membership,
    MembershipRole,
    Organisation,
    Role,
    RoleAssignment,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


def _sign_in_request():
    # django-axes counts sign-ins per address, so authenticate() needs the request.
    return RequestFactory().post("/accounts/login/")


def _snapshot() -> dict[str, object]:
    """Every governance row and every user, as plain values (last_login aside)."""
    state: dict[str, object] = {
        model._meta.label: sorted(map(repr, model.objects.values()))
        for model in apps.get_app_config("governance").get_models()
    }
    state["users"] = sorted(map(repr, User.objects.values().order_by("pk")))
    return state


@pytest.fixture
def nel() -> IntegratedCareSystem:
    return IntegratedCareSystem.objects.get(slug="nel")


@pytest.fixture
def tht(nel) -> Body:
    return Body.objects.get(system=nel, slug="tht")


@pytest.fixture
def missing_membership(tht) -> dict[str, object]:
    """Delete one demo membership, so a run that writes anything is visible."""
    membership = Membership.objects.get(
        body=tht, organisation__name=demo.HW_TH, role=MembershipRole.ATTENDEE
    )
    key = {
        "body": tht,
        "organisation": membership.organisation,
        "role": membership.role,
        "start_date": membership.start_date,
    }
    membership.delete()
    return key


@pytest.fixture
def broken_app(tmp_path, monkeypatch) -> str:
    """An importable app whose demo module imports something that does not exist."""
    package = tmp_path / "broken_demo_app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "demo.py").write_text(
        textwrap.dedent(
            """
            import no_such_dependency_xyz  # noqa: F401

            def load(*, stdout):
                pass
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return "broken_demo_app"


# --- idempotence ------------------------------------------------------------------------


def test_second_run_creates_and_changes_nothing():
    before = _snapshot()
    assert len(before["governance.Body"]) > 40  # the demo really is there

    call_command("load_demo", verbosity=0)

    assert _snapshot() == before


def test_run_restores_a_missing_row_and_nothing_else(missing_membership):
    before = _snapshot()

    call_command("load_demo", verbosity=0)

    assert Membership.objects.filter(**missing_membership).count() == 1
    after = _snapshot()
    assert len(after["governance.Membership"]) == len(before["governance.Membership"]) + 1
    # The restored seat has its creation record, and nothing else has one.
    history = "governance.HistoricalMembership"
    assert len(after[history]) == len(before[history]) + 1
    for table in ("governance.Membership", history):
        del before[table], after[table]
    assert after == before


def test_summary_printed_unless_verbosity_zero():
    loud, quiet = io.StringIO(), io.StringIO()

    call_command("load_demo", stdout=loud)
    call_command("load_demo", verbosity=0, stdout=quiet)

    assert "Governance demo: 2 systems" in loud.getvalue()
    assert "nothing new" in loud.getvalue()
    assert quiet.getvalue() == ""


# --- personas ---------------------------------------------------------------------------

EXPECTED_ROLES = {
    "icb.governance": {(Role.GOVERNANCE_LEAD, "nel", None)},
    "tht.office": {(Role.PROGRAMME_OFFICE, "nel", "tht")},
    "tht.board": {(Role.BOARD_MEMBER, "nel", "tht")},
    "newham.office": {(Role.PROGRAMME_OFFICE, "nel", "newham")},
    "sel.governance": {(Role.GOVERNANCE_LEAD, "sel", None)},
    "viewer": {(Role.VIEWER, "nel", None)},
}


@pytest.mark.parametrize("username", sorted(EXPECTED_ROLES))
def test_persona_holds_exactly_its_roles(username):
    user = User.objects.get(username=username)
    active = {
        (a.role, a.system.slug, a.body.slug if a.body else None)
        for a in RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
    }
    assert active == EXPECTED_ROLES[username]
    assert user.first_name and user.last_name
    assert user.email == f"{username}@example.org"
    assert not user.is_staff and not user.is_superuser


def test_personas_sign_in_with_the_demo_password(settings):
    assert (
        authenticate(_sign_in_request(), username="tht.office", password=settings.DEMO_PASSWORD)
        is not None
    )
    assert (
        authenticate(_sign_in_request(), username="tht.office", password="not-the-password") is None
    )


def test_rerun_makes_a_changed_demo_password_work(settings):
    settings.DEMO_PASSWORD = "a-new-demo-password"
    assert (
        authenticate(_sign_in_request(), username="viewer", password="a-new-demo-password") is None
    )

    call_command("load_demo", verbosity=0)

    assert (
        authenticate(_sign_in_request(), username="viewer", password="a-new-demo-password")
        is not None
    )


# --- the landscape ----------------------------------------------------------------------


def test_nel_structure(nel):
    bodies = Body.objects.filter(system=nel)
    assert nel.short_name == "NEL"
    assert bodies.filter(kind=BodyKind.ICB_BOARD).count() == 1
    assert bodies.filter(kind=BodyKind.ICP).count() == 1
    local = set(bodies.filter(kind=BodyKind.LOCAL_SYSTEM).values_list("short_name", flat=True))
    assert local == {"C&H", "BHR", "WEL"}

    places = bodies.filter(kind=BodyKind.PLACE_PARTNERSHIP).select_related(
        "parent", "accountable_to"
    )
    assert places.count() == 7
    for place in places:
        assert place.parent.kind == BodyKind.LOCAL_SYSTEM, place
        assert place.accountable_to.kind == BodyKind.HWBB, place
    newham = places.get(slug="newham")
    assert newham.parent.slug == "wel"
    assert newham.accountable_to.name == "Newham Health and Wellbeing Board"


def test_one_nel_body_is_unpublished(nel):
    hidden = Body.objects.filter(system=nel, is_published=False)
    assert [b.slug for b in hidden] == ["community-health-collaborative"]


def test_tower_hamlets_together(tht):
    assert tht.short_name == "THT"
    assert tht.kind == BodyKind.PLACE_PARTNERSHIP
    assert tht.chair_name == "Amy Gibbs"
    assert tht.chair_type == ChairType.INDEPENDENT
    assert tht.accountable_to.slug == "tower-hamlets-hwbb"
    assert tht.accountable_to.kind == BodyKind.HWBB
    assert tht.parent.slug == "wel"
    assert (tht.current_form, tht.target_form) == (
        GovernanceForm.COMMITTEE,
        GovernanceForm.JOINT_COMMITTEE,
    )
    assert "strategic oversight of integration" in tht.terms_of_reference


def test_tht_has_eight_pcns_and_its_subgroups(tht):
    children = Body.objects.filter(parent=tht)
    pcns = children.filter(kind=BodyKind.PCN)
    assert pcns.count() == 8
    assert not pcns.filter(name__regex=r"\d").exists()  # real names, not "PCN 1..8"

    committees = set(children.filter(kind=BodyKind.COMMITTEE).values_list("name", flat=True))
    assert {
        "THT Born Well, Growing Well workstream",
        "THT Living Well workstream",
        "THT Promoting Independence workstream",
        "Tower Hamlets Alliance Board",
        "Tower Hamlets Urgent Care Working Group",
    } <= committees
    assert len([n for n in committees if "Locality Health and Wellbeing" in n]) == 4


def test_tht_partners_and_their_seats(tht):
    seats = {
        (m.organisation.name, m.role)
        for m in Membership.objects.filter(body=tht, end_date__isnull=True).select_related(
            "organisation"
        )
    }
    assert (demo.BARTS, MembershipRole.MEMBER) in seats
    assert (demo.ELFT, MembershipRole.MEMBER) in seats
    assert (demo.GPCG, MembershipRole.MEMBER) in seats
    assert (demo.THCVS, MembershipRole.MEMBER) in seats
    assert (demo.LBTH, MembershipRole.CO_CHAIR) in seats
    assert (demo.HW_TH, MembershipRole.ATTENDEE) in seats
    assert {role for _, role in seats} == set(MembershipRole.values)
    # The CCG's seat ended when the ICB took over.
    assert Membership.objects.get(body=tht, organisation__name=demo.TH_CCG).end_date is not None

    codes = dict(Organisation.objects.filter(system=tht.system).values_list("name", "ods_code"))
    assert codes[demo.BARTS] == "R1H"
    assert codes[demo.ELFT] == "RWK"


def test_sel_is_a_separate_smaller_system():
    sel = IntegratedCareSystem.objects.get(slug="sel")
    bodies = Body.objects.filter(system=sel)
    assert bodies.filter(kind=BodyKind.ICB_BOARD).count() == 1
    assert bodies.filter(kind=BodyKind.PLACE_PARTNERSHIP).count() >= 1
    assert bodies.filter(kind=BodyKind.HWBB).exists()
    codes = set(Organisation.objects.filter(system=sel).values_list("ods_code", flat=True))
    assert {"RJ1", "RJZ"} <= codes
    assert not Membership.objects.filter(body__system=sel).exclude(organisation__system=sel)


# --- production guard -------------------------------------------------------------------


def test_production_refuses_without_the_flag_and_writes_nothing(settings, missing_membership):
    settings.PRODUCTION = True
    settings.DEMO_PASSWORD = "a-new-demo-password"
    before = _snapshot()

    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo", verbosity=0)

    assert _snapshot() == before
    assert not Membership.objects.filter(**missing_membership).exists()


def test_production_loads_with_the_flag(settings, missing_membership):
    settings.PRODUCTION = True
    settings.DEMO_PASSWORD = "a-new-demo-password"

    call_command("load_demo", "--allow-production", verbosity=0)

    assert Membership.objects.filter(**missing_membership).exists()
    assert (
        authenticate(_sign_in_request(), username="icb.governance", password="a-new-demo-password")
        is not None
    )


# --- other apps' demo modules -----------------------------------------------------------


def test_app_without_a_demo_module_is_skipped():
    assert load_demo._demo_module("ics_portal") is None
    assert load_demo._demo_module("governance") is demo


def test_demo_module_with_a_broken_import_is_not_mistaken_for_a_missing_one(broken_app):
    with pytest.raises(ModuleNotFoundError, match="no_such_dependency_xyz"):
        load_demo._demo_module(broken_app)


def test_a_failing_app_demo_rolls_back_the_whole_load(monkeypatch, broken_app, missing_membership):
    monkeypatch.setattr(load_demo, "EXTRA_DEMO_APPS", (*load_demo.EXTRA_DEMO_APPS, broken_app))

    with pytest.raises(ModuleNotFoundError):
        call_command("load_demo", verbosity=0)

    assert not Membership.objects.filter(**missing_membership).exists()
