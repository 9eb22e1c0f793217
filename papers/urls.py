from django.urls import path

from . import views, views_system

app_name = "papers"

urlpatterns = [
    path("papers/", views.paper_list, name="list"),
    path("papers/new/", views.paper_new, name="new"),
    path("papers/<int:pk>/", views.paper_detail, name="detail"),
    path("papers/<int:pk>/preview/", views.paper_preview, name="preview"),
    path("papers/<int:pk>/edit/", views.paper_edit, name="edit"),
    path("papers/<int:pk>/state/", views.paper_state, name="state"),
    path("papers/<int:pk>/sections/add/", views.section_add, name="section_add"),
    path("papers/<int:pk>/sections/<int:section>/", views.section_edit, name="section_edit"),
    path(
        "papers/<int:pk>/sections/<int:section>/delete/",
        views.section_delete,
        name="section_delete",
    ),
    path(
        "papers/<int:pk>/recommendations/add/",
        views.recommendation_edit,
        name="recommendation_add",
    ),
    path(
        "papers/<int:pk>/recommendations/<int:rec>/",
        views.recommendation_edit,
        name="recommendation_edit",
    ),
    path("papers/<int:pk>/considered/add/", views.considered_add, name="considered_add"),
    path("papers/<int:pk>/build/", views.paper_build, name="build"),
    path("papers/<int:pk>/builds/<int:build>/", views.build_status, name="build_status"),
    path("papers/<int:pk>/builds/<int:build>/retry/", views.build_retry, name="build_retry"),
    path("papers/<int:pk>/versions/v<int:number>.pdf", views.version_download, name="download"),
    path("papers/systems/<slug:system>/glossary/", views_system.glossary, name="glossary"),
    path(
        "papers/systems/<slug:system>/glossary/<int:term>/delete/",
        views_system.glossary_delete,
        name="glossary_delete",
    ),
    path(
        "papers/systems/<slug:system>/public-page/",
        views_system.public_page_switch,
        name="public_switch",
    ),
    path("public/<slug:system>/", views_system.public_page, name="public"),
    path(
        "public/<slug:system>/papers/<int:pk>/v<int:number>.pdf",
        views_system.public_paper,
        name="public_paper",
    ),
    path(
        "public/<slug:system>/maps/<int:pk>.csv",
        views_system.public_map_version,
        name="public_map_version",
    ),
]
