"""The /api/v1/ router: each app registers its viewsets here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from delegation import api as delegation_api
from governance import api as governance_api
from milestones import api as milestones_api
from papers import api as papers_api

router = DefaultRouter()
for app_api in (governance_api, delegation_api, milestones_api, papers_api):
    app_api.register(router)

urlpatterns = [
    path("auth/token/", governance_api.TokenObtainView.as_view(), name="api-token"),
    *router.urls,
]
