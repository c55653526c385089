"""The empty-app floor: the least a Textual app costs to put text on screen (run with the project's
venv python, so the floor and digest-tui share the interpreter and the Textual version)."""

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "bench empty app ready"


class EmptyApp(App):
    def compose(self) -> ComposeResult:
        yield Static(MARKER)


if __name__ == "__main__":
    EmptyApp().run()
