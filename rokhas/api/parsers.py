"""JSON bodies are bounded like form data (DATA_UPLOAD_MAX_MEMORY_SIZE): Django REST framework
reads them whole otherwise, however large."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.parsers import JSONParser


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request could not be read (too large or malformed).")
    default_code = "too_large"


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and stream is not None:
            data = stream.read(limit + 1)
            if len(data) > limit:
                raise RequestTooLarge()
            stream = io.BytesIO(data)
        return super().parse(stream, media_type, parser_context)
