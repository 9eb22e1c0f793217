"""Template context every page needs: the systems the user may open, for the menu."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import selectors


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_systems": ()}
    # Lazy: pages that never render the menu (API, files) never run the query.
    return {"nav_systems": SimpleLazyObject(lambda: selectors.menu_systems(user))}
