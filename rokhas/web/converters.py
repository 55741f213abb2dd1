"""Path converters that refuse what the database cannot hold (a 30-digit id is a 404, not a 500)."""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))

