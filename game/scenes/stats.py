"""The statistics scene: how the model does on the player's own drawings, beside its model card.

The numbers come from game.stats (SQL aggregation) run once on entering, on the recorder's
thread, so the frame loop never waits on the disk. When they arrive, the whole page is drawn
once into a surface (stats_page); each frame then only blits it (plus the top bar and any
message). Reset statistics asks first, then moves the database aside (stats_dialogs).
"""

import pygame
import pygame_gui

from game.scenes import chrome, look, mistakes, stat_cards
from game.scenes.base import Scene
from game.scenes.buttons import set_enabled, set_shown
from game.scenes.stats_dialogs import (
    add_confirm_buttons,
    confirm_box,
    draw_confirm,
    export_labelled,
    reset_history,
)
from game.scenes.stats_page import MARGIN, render_page, stats_layout
from game.stats import Stats, load_stats


class StatsScene(Scene):
    def __init__(self, app, **params) -> None:
        super().__init__(app, **params)
        self.answer = None
        self.resetting = None  # the Answer of a reset in progress
        self.exporting = None  # the Answer of an export in progress
        self.confirming = False
        self.page: pygame.Surface | None = None
        self.toast = chrome.Toast()

    @property
    def stats(self) -> Stats | None:
        if self.answer is None or not self.answer.done or self.answer.error:
            return None
        return self.answer.value

    def enter(self) -> None:
        super().enter()
        self.load()

    def load(self) -> None:
        self.answer = self.app.recorder.ask(lambda current: load_stats(current.path))
        self.page = None

    def figures(self, found: Stats) -> list[tuple[str, str, str]]:
        """(name, value, detail) of the figure cards, as shown (tests read them)."""
        return stat_cards.figures(found)

    # Widgets -----------------------------------------------------------------------------------

    def build(self) -> None:
        self.rects = stats_layout(self.app.size)
        right = self.rects["top_bar"].right - MARGIN
        self.button(pygame.Rect(right - 92, 14, 92, 36), "Back", "back", "@quiet", "Esc")
        # Two buttons of 92 pixels: the room the top bar leaves (chrome.BUTTONS_WIDTH).
        tip = "Reset statistics: the database is moved aside, never deleted"
        reset = pygame.Rect(right - 92 - 8 - 92, 14, 92, 36)
        self.button(reset, "Reset…", "reset_stats", "@quiet", tip)
        recent = self.rects["recent"]
        tip = "Write your labelled drawings to an .npz (MNIST's layout) beside the history"
        export = pygame.Rect(recent.right - 12 - 150, recent.y + 6, 150, 28)
        self.button(export, "Export drawings", "export", "@quiet", tip)
        # Beside Export, in the latest drawings' header: in the matrix card's header it
        # covered the card's title in a small window.
        mistakes.add_button(self, pygame.Rect(export.x - 8 - 90, export.y, 90, 28))
        add_confirm_buttons(self, confirm_box(self.app.size))
        self.page = None
        self.refresh_widgets()

    def refresh_widgets(self) -> None:
        if self.covered:
            return
        found = self.stats
        mistakes.show_button(
            self, found is not None and found.corrected > 0 and not self.confirming
        )
        for name in ("confirm_reset", "cancel_reset"):
            set_shown(self.widget_named(name), self.confirming)
        free = not self.confirming and self.resetting is None
        # Widgets are drawn after the scene, so the dialog's shade cannot dim them: behind it
        # the page's own buttons go (as Mistakes does) instead of staying bright.
        back, reset, export = (self.widget_named(n) for n in ("back", "reset_stats", "export"))
        set_shown(back, not self.confirming)
        set_enabled(back, free)
        set_shown(reset, not self.confirming)
        set_enabled(reset, free and found is not None and found.total > 0)
        set_shown(export, not self.confirming and found is not None and found.labelled > 0)
        set_enabled(export, free and self.exporting is None)

    # Input -------------------------------------------------------------------------------------

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            name = event.ui_element.get_object_ids()[-1].lstrip("#")
            action = {
                "back": self.app.pop,
                "reset_stats": self.ask_reset,
                "confirm_reset": self.reset,
                "cancel_reset": self.cancel_reset,
                "export": self.export,
                "mistakes": lambda: self.app.push("mistakes"),
            }.get(name)
            if action is not None:
                action()
                return True
            return False
        if event.type != pygame.KEYDOWN:
            return False
        if self.confirming:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.reset()
            elif event.key == pygame.K_ESCAPE:
                self.cancel_reset()
            return True
        if event.key in (pygame.K_ESCAPE, pygame.K_s):
            self.app.pop()
        elif event.key in (pygame.K_h, pygame.K_F1):
            self.app.push("help")
        elif event.key == pygame.K_m and self.stats is not None and self.stats.corrected > 0:
            self.app.push("mistakes")
        else:
            return False
        return True

    def export(self) -> None:
        if self.exporting is None and self.stats is not None and self.stats.labelled > 0:
            self.exporting = export_labelled(self.app.recorder)
            self.refresh_widgets()

    def ask_reset(self) -> None:
        if self.stats is not None and self.stats.total > 0 and self.resetting is None:
            self.confirming = True
            self.refresh_widgets()

    def cancel_reset(self) -> None:
        self.confirming = False
        self.refresh_widgets()

    def reset(self) -> None:
        if not self.confirming:
            return
        self.confirming = False
        self.resetting = reset_history(self.app.recorder)
        self.refresh_widgets()

    # Per frame ---------------------------------------------------------------------------------

    def update(self, dt: float) -> None:
        if self.resetting is not None and self.resetting.done:
            done, self.resetting = self.resetting, None
            if done.error:
                self.toast.show(done.error, look.BAD, 6.0)
            else:
                where = f" The old one is kept as {done.value.name}." if done.value else ""
                self.toast.show(f"Statistics reset.{where}", look.GOOD, 5.0)
            self.load()
        if self.exporting is not None and self.exporting.done:
            done, self.exporting = self.exporting, None
            if done.error:
                self.toast.show(done.error, look.BAD, 6.0)
            else:
                out, count = done.value
                self.toast.show(f"Exported {count} labelled drawings to {out}", look.GOOD, 6.0)
        self.refresh_widgets()

    def draw(self, surface: pygame.Surface) -> None:
        chrome.draw_top_bar(surface, self.rects["top_bar"], self.app)
        chrome.draw_scene_name(surface, self.rects["top_bar"], "Statistics")
        if self.page is None or self.page.get_size() != surface.get_size():
            if self.answer is not None and self.answer.done:
                self.page = self.render_page(surface.get_size())
                # The statistics may have arrived after this frame's update: the buttons they
                # enable must be live before the next click, not a frame later.
                self.refresh_widgets()
        if self.page is not None:
            surface.blit(self.page, (0, 0))
        else:
            left = self.rects["left"].center
            look.text(surface, "Reading the history…", left, 20, look.MUTED, "regular", "center")
        # Over the latest drawings, beside Export and Reset's results: not over the figures.
        self.toast.draw(surface, self.rects["recent"])
        if self.confirming:
            draw_confirm(surface, confirm_box(self.app.size))

    def render_page(self, size: tuple[int, int]) -> pygame.Surface:
        """Everything below the top bar, drawn once for these statistics and this size."""
        return render_page(size, self.rects, self.answer, self.app.card, self.app.model_path.name)
