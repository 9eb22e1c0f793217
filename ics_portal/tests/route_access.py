"""Project-level routes: sign-in, the admin, the API schema and docs."""

from tests.routes import LOGIN_REDIRECT, Route, everyone

ROUTES: list[Route] = [
    Route("login", expect=everyone(302, anonymous=200), label="signed-in users are sent home"),
    Route("logout", method="POST", expect=everyone(302, anonymous=302)),
    # Governance leads unlock the accounts of their system; nobody else may look.
    Route(
        "lockouts",
        expect=everyone(403, anonymous=LOGIN_REDIRECT, icb_governance=200, sel_governance=200),
    ),
    Route("api-token-page", expect=everyone(200, anonymous=LOGIN_REDIRECT)),
    # The admin is the operators' back office: no persona is a superuser.
    Route("admin:index", expect=everyone(302, anonymous=LOGIN_REDIRECT)),
    Route("admin:governance_body_changelist", expect=everyone(302, anonymous=302)),
    # The schema describes the API, not its data: public, so integrators can read it.
    Route("api-schema", expect=everyone(200, anonymous=200)),
    Route("api-docs", expect=everyone(200, anonymous=200)),
    Route("api-reference", expect=everyone(200, anonymous=200)),
    Route("api-root", expect=everyone(200, anonymous=401)),
]
