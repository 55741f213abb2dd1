"""Path converters of the API.

Ids are matched as 1 to 18 digits: anything longer (or not a number) does not resolve and
gives a 404, never a database overflow error.
"""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class RoundConverter:
    regex = "[0-9]{1,4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


class CodeConverter:
    """A decision's verification code as people type it: letters, digits and hyphens."""

    regex = "[A-Za-z0-9-]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)
