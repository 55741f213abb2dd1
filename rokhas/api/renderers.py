"""JSON that never fails to encode.

Django REST framework writes UTF-8 JSON; a lone surrogate sent by a client (valid JSON:
"\\ud800") and echoed in an error message ("«\\ud800» is not a valid choice") cannot be
encoded in UTF-8 and would turn a 400 into a 500. Such answers are written ASCII-escaped.
"""

from rest_framework.renderers import JSONRenderer


class SafeJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            escaped = _AsciiJSONRenderer()
            return escaped.render(data, accepted_media_type, renderer_context)


class _AsciiJSONRenderer(JSONRenderer):
    ensure_ascii = True
