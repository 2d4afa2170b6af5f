"""The one exception that business rules raise."""

import re


class ApplicationError(Exception):
    """A business rule refused an operation.

    ``rule`` is the RULES.md id (``"R7"``) when a rule of the award decides; ``code`` tells an
    interface how to answer: ``"invalid"`` (400), ``"conflict"`` (409, wrong state for this step),
    ``"not_found"`` (404) or ``"forbidden"`` (403). ``field`` names the input field at fault.
    """

    def __init__(
        self,
        message: str,
        *,
        rule: str | None = None,
        code: str = "invalid",
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.rule = rule
        self.code = code
        self.field = field

    @property
    def user_message(self) -> str:
        """What a person reads: the rule id first when a rule decided ("R7：…"), unless the
        message already names it (a list of failed checks, each with its rule)."""
        if not self.rule or names_rule(self.message, self.rule):
            return self.message
        return f"{self.rule}：{self.message}"

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}" if self.rule else self.message

    def as_dict(self) -> dict:
        data: dict = {"detail": self.message}
        if self.rule:
            data["rule"] = self.rule
        if self.field:
            data[self.field] = [self.message]
        return data


class StateConflict(ApplicationError):
    """The object is not in a state that allows this transition (HTTP 409)."""

    def __init__(self, message: str, *, rule: str | None = None) -> None:
        super().__init__(message, rule=rule, code="conflict")


def names_rule(text: str, rule: str) -> bool:
    """Whether ``text`` names ``rule`` itself ("R11" is not named by "R11.5")."""
    return re.search(rf"(?<![\w.]){re.escape(rule)}(?![\w.])", text) is not None
