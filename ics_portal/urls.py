from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import accounts, api_reference
from .admin_site import restrict_admin_to_policy

restrict_admin_to_policy(admin.site)

urlpatterns = [
    path("", include("governance.urls")),
    path("", include("delegation.urls")),
    path("", include("milestones.urls")),
    path("", include("papers.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/lockouts/", accounts.lockouts, name="lockouts"),
    path("accounts/api-token/", accounts.api_token, name="api-token-page"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("ics_portal.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The reference in the portal's own accessible layout; Swagger stays to try calls.
    path("api/reference/", api_reference.api_reference, name="api-reference"),
    # Swagger UI sets style attributes from its script: the one page whose policy
    # allows inline styles (never inline scripts; its own script is a separate file).
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api/swagger_ui.html"
            )
        ),
        name="api-docs",
    ),
]

handler400 = "ics_portal.errors.bad_request"
handler403 = "ics_portal.errors.permission_denied"
handler404 = "ics_portal.errors.page_not_found"
handler500 = "ics_portal.errors.server_error"
