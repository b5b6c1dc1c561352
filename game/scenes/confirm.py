"""Asking before a keypress throws the player's work away: the same action again, soon, confirms.

The question is shown as a toast for as long as the confirmation stays open, so the player sees
what a second press would do; anything else the player does (a new stroke) withdraws it.
"""

import time

from game.scenes import chrome, look

CONFIRM_SECONDS = 3.0


class Confirm:
    def __init__(self) -> None:
        self.action = ""
        self.question = ""
        self.until = 0.0

    def ask(self, action: str, question: str, toast: chrome.Toast) -> bool:
        """True when `action` was asked about just before (this press confirms it); otherwise
        show the question and wait for the same action again."""
        now = time.monotonic()
        if self.action == action and now <= self.until:
            self.action = ""
            return True
        self.action, self.question, self.until = action, question, now + CONFIRM_SECONDS
        toast.show(question, look.AMBER, CONFIRM_SECONDS)
        return False

    def withdraw(self, toast: chrome.Toast) -> None:
        """The player went on: the open question (and its toast) goes."""
        if self.action and toast.message == self.question:
            toast.until = 0.0
        self.action = ""
