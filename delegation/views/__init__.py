"""Pages of the functions and decision map, one module per family of pages. Thin: read
via selectors, write via services through ``governance.forms.submit``, ask
``permissions`` who may do what (``permissions.access``: the object and the right to
act on it in one step)."""

from .conditions import (
    condition_assess,
    condition_assure,
    condition_create,
    condition_dashboard,
    condition_detail,
    condition_edit,
)
from .entries import entry_create, entry_detail, entry_edit, entry_revoke, entry_supersede
from .functions import function_create, function_edit, function_list
from .matrix import body_delegations, entry_list, matrix
from .spreadsheets import (
    map_export,
    map_import,
    map_import_job,
    map_import_progress,
    version_export,
)
from .versions import version_detail, version_diff, version_list, version_publish

__all__ = [
    "body_delegations",
    "condition_assess",
    "condition_assure",
    "condition_create",
    "condition_dashboard",
    "condition_detail",
    "condition_edit",
    "entry_create",
    "entry_detail",
    "entry_edit",
    "entry_list",
    "entry_revoke",
    "entry_supersede",
    "function_create",
    "function_edit",
    "function_list",
    "map_export",
    "map_import",
    "map_import_job",
    "map_import_progress",
    "matrix",
    "version_detail",
    "version_diff",
    "version_export",
    "version_list",
    "version_publish",
]
