"""Proposal pages; included into ``delegation.urls`` (names in its namespace)."""

from django.urls import path

from . import views, views_matrix

urlpatterns = [
    path("proposals/<slug:system>/", views.proposal_list, name="proposal_list"),
    path(
        "proposals/<slug:system>/bodies/<slug:body>/",
        views.proposal_list,
        name="proposal_list_body",
    ),
    path("proposals/<slug:system>/new/", views.proposal_create, name="proposal_create"),
    path("proposal/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposal/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposal/<int:pk>/items/new/", views.item_create, name="proposal_item_create"),
    path("proposal/<int:pk>/comment/", views.comment_add, name="proposal_comment"),
    path("proposal/<int:pk>/position/", views.position_record, name="proposal_position"),
    path("proposal/<int:pk>/reopen/", views.proposal_reopen, name="proposal_reopen"),
    # Before the transition route, which would otherwise take "matrix" for an action.
    path(
        "proposal/<int:pk>/matrix/",
        views_matrix.proposal_matrix_page,
        name="proposal_matrix",
    ),
    path("proposal/<int:pk>/<str:action>/", views.proposal_transition, name="proposal_transition"),
    path("proposal-items/<int:pk>/edit/", views.item_edit, name="proposal_item_edit"),
    path("proposal-items/<int:pk>/delete/", views.item_delete, name="proposal_item_delete"),
    path(
        "proposal-comments/<int:pk>/withdraw/",
        views.comment_withdraw,
        name="proposal_comment_withdraw",
    ),
]
