"""Every record has a history: who changed what, when, and through which door.

- ``door``: the door (page, API, import, bulk update, admin, system) and the person.
- ``records``: ``tracked(system=...)`` gives a model its history; the bulk helpers.
- ``changes``: historical rows turned into readable changes (labels, not codes).
- ``pages`` / ``api``: the History page of an object, the API action, the system's
  changes and their CSV.
"""
