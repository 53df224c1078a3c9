from __future__ import annotations

from django.db.models import Q, QuerySet

from sime.accounts.models import User


def user_list(*, text: str = "", role: str = "", institution_id: int | None = None) -> QuerySet[User]:
    """Users for the administration list, with their institution in the same query."""
    users = User.objects.select_related("institution").order_by("full_name", "email")
    if text:
        users = users.filter(Q(full_name__icontains=text) | Q(email__icontains=text))
    if role:
        users = users.filter(role=role)
    if institution_id:
        users = users.filter(institution_id=institution_id)
    return users
