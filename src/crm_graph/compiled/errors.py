"""The one exception of the compiled path."""


class Fallback(Exception):
    """The operation must take the ordinary path; `reason` is short and stable
    (a metrics label)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
