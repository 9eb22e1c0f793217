"""The landscape pages: what each persona sees, and what they never see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance import services
from governance.models import Body, BodyKind

pytestmark = pytest.mark.django_db


def _page(client, name: str, **kwargs) -> str:
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def test_home_lists_the_users_roles_and_systems(client_as):
    html = _page(client_as("tht.office"), "governance:home")
    assert "Programme office" in html
    assert "Tower Hamlets Together" in html
    assert reverse("governance:landscape", kwargs={"system": "nel"}) in html
    assert reverse("governance:landscape", kwargs={"system": "sel"}) not in html


def test_home_says_so_when_the_user_has_no_role(client_as, django_user_model):
    client = client_as(None)
    client.force_login(django_user_model.objects.create_user("newcomer"))
    html = _page(client, "governance:home")
    assert "You have no role in any system yet" in html


def test_anonymous_home_goes_to_sign_in(client_as):
    response = client_as(None).get(reverse("governance:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_with_a_wrong_password_says_so_and_signs_nobody_in(client):
    response = client.post(reverse("login"), {"username": "tht.office", "password": "wrong"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_landscape_draws_the_structure_and_lists_it(client_as):
    html = _page(client_as("tht.board"), "governance:landscape", system="nel")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="landscape-diagram"' in html
    assert 'role="img" aria-labelledby="lsd-title lsd-desc"' in html
    # The accessible list names every published body with a link to its page.
    for slug in ("icb", "icp", "wel", "tht", "acute-provider-alliance"):
        assert reverse("governance:body", kwargs={"system": "nel", "body": slug}) in html
    assert "accountable to Tower Hamlets Health and Wellbeing Board" in html


def test_landscape_leaves_out_what_the_user_may_not_see(client_as):
    hidden = Body.objects.get(system__slug="nel", slug="community-health-collaborative")
    assert not hidden.is_published
    lead = _page(client_as("icb.governance"), "governance:landscape", system="nel")
    board = _page(client_as("tht.board"), "governance:landscape", system="nel")
    assert hidden.name in lead
    assert hidden.name not in board
    assert "Community Health Collaborative" not in board


def test_another_systems_landscape_is_not_found(client_as):
    assert client_as("tht.office").get("/systems/sel/").status_code == 404
    assert client_as("sel.governance").get("/systems/nel/").status_code == 404


def test_body_page_shows_form_chair_members_subgroups_and_accountability(client_as):
    html = _page(client_as("tht.office"), "governance:body", system="nel", body="tht")
    assert "Place-based partnership" in html
    assert "(independent chair)" in html
    assert "Tower Hamlets Health and Wellbeing Board" in html
    assert "Barts Health NHS Trust" in html
    assert "Tower Hamlets Alliance Board" in html  # a subgroup
    assert "moving to" in html  # current → target form, also for screen readers


def test_body_page_never_names_a_hidden_parent(client_as):
    nel = Body.objects.get(system__slug="nel", slug="icb").system
    hidden = Body.objects.get(system=nel, slug="community-health-collaborative")
    child = services.body_create(
        system=nel,
        name="Community nursing workstream",
        slug="community-nursing",
        kind=BodyKind.COMMITTEE,
        parent=hidden,
        is_published=True,
    )
    html = _page(client_as("tht.board"), "governance:body", system="nel", body=child.slug)
    assert hidden.name not in html
    assert "A body you cannot see" in html


def test_body_of_another_system_is_not_found_even_by_its_slug(client_as):
    assert client_as("tht.office").get("/systems/sel/bodies/icb/").status_code == 404
    assert client_as("sel.governance").get("/systems/sel/bodies/icb/").status_code == 200
