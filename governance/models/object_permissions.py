"""Direct foreign-key object-permission tables for django-guardian.

Guardian's generic tables key objects by a text primary key and a content type,
which cannot be joined or indexed well; these tables use real foreign keys, so
``get_objects_for_user`` becomes an indexed join (see guardian's performance docs).
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .bodies import Body
from .systems import IntegratedCareSystem


class SystemUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(IntegratedCareSystem, on_delete=models.CASCADE)


class SystemGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(IntegratedCareSystem, on_delete=models.CASCADE)


class BodyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Body, on_delete=models.CASCADE)


class BodyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Body, on_delete=models.CASCADE)
