"""Test-wide settings. Values differ from production only where tests need them to."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; live_server's ORM calls are safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    from django.test.utils import override_settings

    override_settings(
        # The live server does not serve whitenoise's hashed names (DEBUG is off in tests).
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        LANGUAGE_CODE="es",
        SECURE_SSL_REDIRECT=False,
    ).enable()
