"""This app's rows of the route-coverage table (see tests/routes.py)."""

from tests.routes import Route, everyone

_NEL_PAGE = everyone(200, sel_governance=404)
_SEL_PAGE = everyone(404, sel_governance=200)

ROUTES: list[Route] = [
    Route("governance:home", expect=everyone(200)),
    Route("governance:landscape", kwargs={"system": "nel"}, expect=_NEL_PAGE, label="NEL"),
    Route("governance:landscape", kwargs={"system": "sel"}, expect=_SEL_PAGE, label="SEL"),
    Route(
        "governance:landscape", kwargs={"system": "nowhere"}, expect=everyone(404), label="missing"
    ),
    Route(
        "governance:body", kwargs={"system": "nel", "body": "tht"}, expect=_NEL_PAGE, label="THT"
    ),
    Route(
        "governance:body",
        kwargs={"system": "nel", "body": "community-health-collaborative"},
        expect=everyone(404, icb_governance=200),
        label="unpublished",
    ),
    Route(
        "governance:body",
        kwargs={"system": "sel", "body": "tht"},
        expect=everyone(404),
        label="THT under the wrong system",
    ),
    # A body's history is read by whoever reads the body.
    Route(
        "governance:body_history",
        kwargs={"system": "nel", "body": "tht"},
        expect=_NEL_PAGE,
        label="THT",
    ),
    Route(
        "governance:body_history",
        kwargs={"system": "nel", "body": "community-health-collaborative"},
        expect=everyone(404, icb_governance=200),
        label="unpublished",
    ),
    # Everything that changed in a system: its governance lead only.
    Route(
        "governance:system_changes",
        kwargs={"system": "nel"},
        expect=everyone(403, icb_governance=200, sel_governance=404),
        label="NEL",
    ),
    Route(
        "governance:system_changes",
        kwargs={"system": "sel"},
        expect=everyone(404, sel_governance=200),
        label="SEL",
    ),
    Route(
        "governance:system_changes_csv",
        kwargs={"system": "nel"},
        expect=everyone(403, icb_governance=200, sel_governance=404),
    ),
]


# --- The landscape API (/api/v1/, governance/api.py) ---------------------------------
# Kept apart from the page rows above. The API answers 401 (not a login redirect) to an
# anonymous caller, and 404 for an object of a system the caller holds no role in.


def _api_system(slug: str):
    def kwargs() -> dict:
        from governance.models import IntegratedCareSystem

        return {"pk": IntegratedCareSystem.objects.get(slug=slug).pk}

    return kwargs


def _api_body(system: str, slug: str):
    def kwargs() -> dict:
        from governance.models import Body

        return {"pk": Body.objects.get(system__slug=system, slug=slug).pk}

    return kwargs


def _api_organisation(name: str):
    def kwargs() -> dict:
        from governance.models import Organisation

        return {"pk": Organisation.objects.get(name=name).pk}

    return kwargs


def _api_membership(system: str, body: str):
    def kwargs() -> dict:
        from governance.models import Membership

        seat = Membership.objects.filter(body__system__slug=system, body__slug=body).first()
        return {"pk": seat.pk}

    return kwargs


def _api_credentials() -> dict:
    from django.conf import settings

    return {"username": "viewer", "password": settings.DEMO_PASSWORD}


_API_NEL = everyone(200, sel_governance=404, anonymous=401)
_API_SEL = everyone(404, sel_governance=200, anonymous=401)
_API_NEL_UNPUBLISHED = everyone(404, icb_governance=200, anonymous=401)

ROUTES += [
    Route("system-list", expect=everyone(200, anonymous=401)),
    Route("system-detail", kwargs=_api_system("nel"), expect=_API_NEL, label="NEL"),
    Route("system-detail", kwargs=_api_system("sel"), expect=_API_SEL, label="SEL"),
    Route("organisation-list", expect=everyone(200, anonymous=401)),
    Route(
        "organisation-detail",
        kwargs=_api_organisation("Barts Health NHS Trust"),
        expect=_API_NEL,
        label="NEL",
    ),
    Route(
        "organisation-detail",
        kwargs=_api_organisation("London Borough of Lambeth"),
        expect=_API_SEL,
        label="SEL",
    ),
    Route("body-list", expect=everyone(200, anonymous=401)),
    Route("body-detail", kwargs=_api_body("nel", "tht"), expect=_API_NEL, label="THT"),
    Route(
        "body-detail",
        kwargs=_api_body("nel", "community-health-collaborative"),
        expect=_API_NEL_UNPUBLISHED,
        label="unpublished NEL body",
    ),
    Route("body-detail", kwargs=_api_body("sel", "lambeth-together"), expect=_API_SEL, label="SEL"),
    Route("membership-list", expect=everyone(200, anonymous=401)),
    Route("membership-detail", kwargs=_api_membership("nel", "tht"), expect=_API_NEL, label="THT"),
    Route(
        "membership-detail",
        kwargs=_api_membership("nel", "community-health-collaborative"),
        expect=_API_NEL_UNPUBLISHED,
        label="unpublished NEL body",
    ),
    Route(
        "membership-detail",
        kwargs=_api_membership("sel", "lambeth-together"),
        expect=_API_SEL,
        label="SEL",
    ),
    Route("system-history", kwargs=_api_system("nel"), expect=_API_NEL, label="NEL"),
    Route("system-history", kwargs=_api_system("sel"), expect=_API_SEL, label="SEL"),
    Route(
        "organisation-history",
        kwargs=_api_organisation("Barts Health NHS Trust"),
        expect=_API_NEL,
        label="NEL",
    ),
    Route(
        "organisation-history",
        kwargs=_api_organisation("London Borough of Lambeth"),
        expect=_API_SEL,
        label="SEL",
    ),
    Route("body-history", kwargs=_api_body("nel", "tht"), expect=_API_NEL, label="THT"),
    Route(
        "body-history",
        kwargs=_api_body("nel", "community-health-collaborative"),
        expect=_API_NEL_UNPUBLISHED,
        label="unpublished NEL body",
    ),
    Route("membership-history", kwargs=_api_membership("nel", "tht"), expect=_API_NEL, label="THT"),
    Route(
        "membership-history",
        kwargs=_api_membership("nel", "community-health-collaborative"),
        expect=_API_NEL_UNPUBLISHED,
        label="unpublished NEL body",
    ),
    # The read API refuses writes: 405 once signed in.
    Route("body-list", method="POST", expect=everyone(405, anonymous=401), data={}),
    # Anyone may swap a username and password for a token; the endpoint only takes POST.
    Route(
        "api-token",
        method="POST",
        data=_api_credentials,
        expect=everyone(200, anonymous=200),
        label="good credentials",
    ),
    Route(
        "api-token",
        method="POST",
        data={"username": "viewer", "password": "wrong"},
        expect=everyone(400, anonymous=400),
        label="wrong password",
    ),
    Route("api-token", expect=everyone(405, anonymous=405)),
]
