import datetime as dt

from django.contrib.auth import get_user_model

from milestones.models import DigestSent
from milestones.tasks import send_milestone_digests


def test_digest_goes_to_the_programme_office_once_a_day(make, mailoutbox, newham, persona):
    office = persona("tht.office")
    if not office.email:
        office.email = "tht.office@example.org"
        office.save()
    today = dt.date.today()
    make("Due next week", due_date=today + dt.timedelta(days=7))
    make("Due next month", due_date=today + dt.timedelta(days=40))
    make("Already done", due_date=today - dt.timedelta(days=3), status="complete")
    sent = send_milestone_digests.delay().get()
    tht_mail = [m for m in mailoutbox if "THT" in m.subject or "Tower Hamlets" in m.subject]
    assert len(tht_mail) == 1
    message = tht_mail[0]
    assert message.to == [get_user_model().objects.get(username="tht.office").email]
    assert "Due next week" in message.body and "Overdue:" in message.body
    # The demo always has one THT milestone due at the end of the previous quarter.
    assert "Continue engagement in the discussion on provider collaboratives" in message.body
    assert "Due next month" not in message.body and "Already done" not in message.body
    assert DigestSent.objects.filter(body__slug="tht", date=today).exists()
    # Newham has nothing due, so its office gets nothing.
    assert not DigestSent.objects.filter(body=newham, date=today).exists()
    assert sent == len(mailoutbox)

    assert send_milestone_digests.delay().get() == 0
    assert len(mailoutbox) == sent


def test_no_office_no_mail_and_no_record(make, mailoutbox, tht):
    from governance.models import RoleAssignment
    from governance.services import role_revoke

    for assignment in RoleAssignment.objects.filter(body=tht, role="programme_office"):
        role_revoke(assignment=assignment)
    send_milestone_digests.delay().get()
    assert not [m for m in mailoutbox if "Tower Hamlets" in m.body]
    assert not DigestSent.objects.filter(body=tht).exists()


def test_digest_links_are_absolute_on_the_portal_address(make, mailoutbox, persona, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.nhs.uk"
    office = persona("tht.office")
    office.email = office.email or "tht.office@example.org"
    office.save()
    milestone = make("Due in three days", due_date=dt.date.today() + dt.timedelta(days=3))
    send_milestone_digests.delay().get()
    body = next(m.body for m in mailoutbox if "Due in three days" in m.body)
    assert f"https://portal.example.nhs.uk/milestones/{milestone.pk}/" in body
    links = [w for w in body.split() if "/milestones/" in w]
    assert links and all(w.startswith("https://portal.example.nhs.uk/") for w in links)
