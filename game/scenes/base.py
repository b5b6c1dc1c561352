"""What every scene is: a small object the app's single loop drives, never a loop of its own.

Lifecycle: `enter()` when it becomes part of the stack (builds its widgets), `pause()` when
another scene is pushed over it, `resume()` when that one is gone, `leave()` when it is removed.
Every frame the top scene gets `handle_event(event)` for each event (return True when used),
then `update(dt)`; every visible scene gets `draw(surface)`. A scene changes scene only by
asking the app (`app.push`, `app.pop`, `app.replace`, `app.quit`).
"""

from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID

if TYPE_CHECKING:
    from game.app import App


class Scene:
    # An overlay is drawn over the scene below it (after that scene's widgets) instead of
    # replacing it, and takes all input while it is on top.
    overlay = False

    def __init__(self, app: "App", **params: Any) -> None:
        self.app = app
        self.params = params
        self.widgets: list[pygame_gui.core.UIElement] = []
        self.covered: bool | None = None  # while paused: hidden (True) or greyed out (False)

    # Lifecycle ---------------------------------------------------------------------------------

    def enter(self) -> None:
        self.build()

    def leave(self) -> None:
        self.clear_widgets()

    def pause(self, covered: bool = True) -> None:
        """Another scene is on top: hidden under a full scene, greyed out under an overlay.

        Hidden widgets are removed, not just hidden, and built again on resume: pygame-gui
        keeps about 14 pre-drawn surfaces of its size per button (a wide one ~1 MB), which a
        scene nobody sees would hold all the while (issue 15)."""
        self.covered = covered
        if covered:
            self.clear_widgets()
        for widget in self.widgets:
            widget.disable()

    def resume(self) -> None:
        hidden, self.covered = self.covered, None
        if hidden:
            self.build()
        for widget in self.widgets:
            widget.show()
            widget.enable()
        self.refresh_widgets()

    def relayout(self) -> None:
        """The window changed size: build the widgets anew for it (a hidden scene's on resume)."""
        self.clear_widgets()
        if self.covered:
            return
        self.build()
        if self.covered is not None:
            self.pause(self.covered)

    # Per frame ---------------------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> bool:
        return False

    def update(self, dt: float) -> None:
        pass

    def draw(self, surface: pygame.Surface) -> None:
        pass

    # Widgets -----------------------------------------------------------------------------------

    def build(self) -> None:
        """Create this scene's widgets for the current window size."""

    def refresh_widgets(self) -> None:
        """Bring the widgets' state (selected, enabled) in line with the scene's state."""

    def clear_widgets(self) -> None:
        for widget in self.widgets:
            widget.kill()
        self.widgets = []

    def button(
        self,
        rect: pygame.Rect,
        label: str,
        name: str,
        kind: str = "@tool",
        tip: str | None = None,
    ) -> pygame_gui.elements.UIButton:
        widget = pygame_gui.elements.UIButton(
            relative_rect=rect,
            text=label,
            manager=self.app.manager,
            object_id=ObjectID(object_id=f"#{name}", class_id=kind),
            tool_tip_text=tip,
        )
        self.widgets.append(widget)
        return widget

    def widget_named(self, name: str) -> pygame_gui.elements.UIButton | None:
        """The widget with object id #name (tests click widgets by name)."""
        for widget in self.widgets:
            if widget.get_object_ids()[-1] == f"#{name}":
                return widget
        return None
