"""Writes on small catalogues edited in the Django admin (departments, …), audited like the rest."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from sime.core.audit import diff, record_event, snapshot


@transaction.atomic
def save_catalogue_entry(*, obj: models.Model, by: Any, is_new: bool) -> models.Model:
    before = {} if is_new else snapshot(type(obj)._default_manager.get(pk=obj.pk))
    obj.full_clean()
    obj.save()
    label = obj._meta.model_name
    changes = diff(before, snapshot(obj))
    if changes:
        record_event(obj, f"{label}.{'created' if is_new else 'updated'}", by=by, changes=changes)
    return obj


@transaction.atomic
def delete_catalogue_entry(*, obj: models.Model, by: Any) -> None:
    record_event(obj, f"{obj._meta.model_name}.deleted", by=by, changes=diff(snapshot(obj), {}))
    obj.delete()
