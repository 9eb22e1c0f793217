"""Roles granted and revoked in the admin go through the role services."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from governance import permissions
from governance.models import Body, BodyUserObjectPermission, Role, RoleAssignment
from governance.permissions import Action


@pytest.fixture
def operator(db, client):
    root = get_user_model().objects.create_superuser("operator", password="x-long-pass-9")
    client.force_login(root)
    return client


def test_admin_grant_creates_the_guardian_rows(operator):
    newcomer = get_user_model().objects.create_user("board.newcomer", password="x-long-pass-9")
    tht = Body.objects.get(system__slug="nel", slug="tht")
    response = operator.post(
        reverse("admin:governance_roleassignment_add"),
        {"user": newcomer.pk, "role": Role.BOARD_MEMBER, "system": tht.system_id, "body": tht.pk},
    )
    assert response.status_code == 302, response.content[:2000]
    assignment = RoleAssignment.objects.get(user=newcomer)
    assert assignment.granted_by.username == "operator"
    assert BodyUserObjectPermission.objects.filter(user=newcomer, content_object=tht).exists()
    assert permissions.can(newcomer, Action.ACT_AS_BOARD_MEMBER, tht)


def test_admin_refuses_a_body_role_without_a_body(operator):
    newcomer = get_user_model().objects.create_user("no.body", password="x-long-pass-9")
    tht = Body.objects.get(system__slug="nel", slug="tht")
    response = operator.post(
        reverse("admin:governance_roleassignment_add"),
        {"user": newcomer.pk, "role": Role.PROGRAMME_OFFICE, "system": tht.system_id},
    )
    assert response.status_code == 200
    assert b"held for a body" in response.content
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_admin_revoke_action_revokes_through_the_service(operator):
    assignment = RoleAssignment.objects.get(user__username="tht.board")
    response = operator.post(
        reverse("admin:governance_roleassignment_changelist"),
        {"action": "revoke_selected", "_selected_action": [assignment.pk]},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    tht_board = get_user_model().objects.get(username="tht.board")
    assert not permissions.can(tht_board, Action.ACT_AS_BOARD_MEMBER, assignment.body)


def test_role_assignments_cannot_be_deleted_in_the_admin(operator):
    assignment = RoleAssignment.objects.get(user__username="tht.board")
    response = operator.get(reverse("admin:governance_roleassignment_delete", args=[assignment.pk]))
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_personas_are_kept_out_of_the_admin(client_as):
    for username in ("icb.governance", "tht.office", "viewer"):
        response = client_as(username).get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
