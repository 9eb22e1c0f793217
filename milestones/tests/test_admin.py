from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from milestones.models import MilestoneUpdate


def test_update_log_is_read_only_in_the_admin(db):
    admin = get_user_model().objects.create_superuser("ms-admin", "a@example.org", "x")
    client = Client()
    client.force_login(admin)
    entry = MilestoneUpdate.objects.first()
    assert client.get(reverse("admin:milestones_milestoneupdate_changelist")).status_code == 200
    page = client.get(reverse("admin:milestones_milestoneupdate_change", args=[entry.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.text
    delete = client.post(
        reverse("admin:milestones_milestoneupdate_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert MilestoneUpdate.objects.filter(pk=entry.pk).exists()
    assert client.get(reverse("admin:milestones_milestoneupdate_add")).status_code == 403


def test_personas_have_no_admin(client_as):
    assert (
        client_as("icb.governance")
        .get(reverse("admin:milestones_milestone_changelist"))
        .status_code
        == 302
    )
