from typing import Any

from django.contrib.auth.backends import ModelBackend


class EmailPasswordBackend(ModelBackend):
    """Checks e-mail and password, nothing else: it grants no permission, so that every
    decision is a rule in sime.accounts.permissions (answered by the `rules` backend)."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False
