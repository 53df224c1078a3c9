from typing import Any

from django.core.exceptions import ValidationError
from rest_framework.exceptions import ValidationError as ApiValidationError


def call_service(service: Any, **kwargs: Any) -> Any:
    """Run a service for an API view: its Django ValidationError becomes a 400 with the same field errors."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        raise ApiValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from error
