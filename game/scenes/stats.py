"""The statistics scene: how the model does on the player's own drawings, beside its model card.

The numbers come from game.stats (SQL aggregation) run once on entering, on the recorder's
thread, so the frame loop never waits on the disk. When they arrive, the whole page is drawn
once into a surface; each frame then only blits it (plus the top bar and any message).
Reset statistics asks first, then moves the database aside (game.history.reset; never deleted).
"""

import math
from datetime import UTC, datetime
from pathlib import Path

import pygame
import pygame_gui

from game import charts, history
from game.scenes import chrome, look, mistakes
from game.scenes.base import Scene
from game.stats import Stats, load_stats

MARGIN = 24
TOP_BAR = 64
GAP = 14


def stats_layout(size: tuple[int, int]) -> dict[str, pygame.Rect]:
    """Where the parts of the page go (pure; the page is redrawn for a new window size)."""
    width, height = max(size[0], 860), max(size[1], 600)
    top, bottom = TOP_BAR + 14, height - MARGIN
    card_width = int(min(max(width * 0.3, 256), 400))
    model = pygame.Rect(width - MARGIN - card_width, top, card_width, bottom - top)
    left = pygame.Rect(MARGIN, top, model.x - GAP - MARGIN, bottom - top)
    figures = pygame.Rect(left.x, left.y, left.width, 96)
    recent = pygame.Rect(left.x, left.bottom - 132, left.width, 132)
    middle_top = figures.bottom + GAP
    middle_height = recent.y - GAP - middle_top
    matrix_side = min(middle_height, int(left.width * 0.52))
    matrix = pygame.Rect(left.x, middle_top, matrix_side, middle_height)
    digits = pygame.Rect(matrix.right + GAP, middle_top, left.right - matrix.right - GAP, 0)
    digits.height = middle_height
    return {
        "top_bar": pygame.Rect(0, 0, width, TOP_BAR),
        "left": left,
        "figures": figures,
        "matrix": matrix,
        "digits": digits,
        "recent": recent,
        "model": model,
    }


def export_labelled(recorder) -> "object":
    """Ask the recorder's thread to write the labelled drawings to an .npz in MNIST's layout
    beside the database (read-only on it); the Answer's value is (path, count)."""

    def export(current) -> tuple[Path, int]:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        out = Path(current.path).with_name(f"drawings-{stamp}.npz")
        return out, history.export_drawings(current.path, out)

    return recorder.ask(export)


def reset_history(recorder) -> "object":
    """Ask the recorder's thread to close the database, move it aside and start a new one;
    the Answer's value is where the old one went (None: there was none)."""

    def move_aside(current) -> object:
        path = current.path
        current.close()
        try:
            moved = history.reset(path)
        finally:
            # Whatever happened, the game goes on with a database at the usual place, or says
            # once that history is off (as when it could not be opened at start).
            try:
                recorder.history = history.History.open(path)
            except history.HistoryError as error:
                recorder.history = None
                recorder.error = str(error)
        return moved

    return recorder.ask(move_aside)


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

    # Widgets -----------------------------------------------------------------------------------

    def build(self) -> None:
        self.rects = stats_layout(self.app.size)
        right = self.rects["top_bar"].right - MARGIN
        self.button(pygame.Rect(right - 92, 14, 92, 36), "Back", "back", "@quiet", "Esc")
        # Two buttons of 92 pixels: the room the top bar leaves (chrome.BUTTONS_WIDTH).
        self.button(
            pygame.Rect(right - 92 - 8 - 92, 14, 92, 36),
            "Reset…",
            "reset_stats",
            "@quiet",
            "Reset statistics: the database is moved aside, never deleted",
        )
        recent = self.rects["recent"]
        self.button(
            pygame.Rect(recent.right - 12 - 150, recent.y + 6, 150, 28),
            "Export drawings",
            "export",
            "@quiet",
            "Write your labelled drawings to an .npz (MNIST's layout) beside the history",
        )
        mistakes.add_button(self, self.rects["matrix"])
        box = self._confirm_box()
        half = (box.width - 3 * 24) // 2
        row = pygame.Rect(box.x + 24, box.bottom - 24 - 44, half, 44)
        self.button(row, "Move it aside", "confirm_reset", "@primary", "Enter")
        self.button(row.move(half + 24, 0), "Cancel", "cancel_reset", "@tool", "Esc")
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
            widget = self.widget_named(name)
            if widget is not None and widget.visible != self.confirming:
                widget.show() if self.confirming else widget.hide()
        for name in ("back", "reset_stats", "export"):
            widget = self.widget_named(name)
            if widget is not None:
                enabled = not self.confirming and self.resetting is None
                if name == "reset_stats":
                    enabled = enabled and self.stats is not None and self.stats.total > 0
                if name == "export":
                    enabled = enabled and self.exporting is None
                    wanted = self.stats is not None and self.stats.labelled > 0
                    if widget.visible != wanted:
                        widget.show() if wanted else widget.hide()
                if widget.is_enabled != enabled:
                    widget.enable() if enabled else widget.disable()

    def _confirm_box(self) -> pygame.Rect:
        box = pygame.Rect(0, 0, 520, 236)
        box.center = pygame.Rect((0, 0), self.app.size).center
        return box

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
                moved = done.value
                where = f" The old one is kept as {moved.name}." if moved else ""
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
        x = MARGIN + look.font(24, "bold").size("Digit Recognizer")[0] + 14
        top = self.rects["top_bar"].centery
        look.text(surface, "/  Statistics", (x, top), 20, look.MUTED, "regular", "midleft")
        if self.page is None or self.page.get_size() != surface.get_size():
            if self.answer is not None and self.answer.done:
                self.page = self.render_page(surface.get_size())
        if self.page is not None:
            surface.blit(self.page, (0, 0))
        else:
            look.text(
                surface,
                "Reading the history…",
                self.rects["left"].center,
                20,
                look.MUTED,
                "regular",
                "center",
            )
        self.toast.draw(surface, self.rects["left"])
        if self.confirming:
            self._draw_confirm(surface)

    # The page ----------------------------------------------------------------------------------

    def render_page(self, size: tuple[int, int]) -> pygame.Surface:
        """Everything below the top bar, drawn once for these statistics and this size."""
        page = pygame.Surface(size, pygame.SRCALPHA)
        rects = self.rects
        self._draw_model_card(page, rects["model"])
        if self.answer.error:
            self._draw_message(page, rects["left"], "No statistics", self.answer.error, look.BAD)
            return page
        found = self.answer.value
        if found.total == 0:
            self._draw_message(
                page,
                rects["left"],
                "No drawings yet",
                "Press Start drawing on the title screen (Enter), draw a digit and press Enter to "
                "classify it, then say whether the model was right. Or play a Challenge (G). "
                "Your statistics appear here.",
                look.MUTED,
            )
            return page
        self._draw_figures(page, rects["figures"], found)
        self._draw_matrix(page, rects["matrix"], found)
        self._draw_digits(page, rects["digits"], found)
        self._draw_recent(page, rects["recent"], found)
        return page

    def figures(self, found: Stats) -> list[tuple[str, str, str]]:
        """(name, value, detail) of the figure cards, as shown (tests read them)."""
        accuracy = "–" if found.accuracy is None else f"{found.accuracy:.0%}"
        latency = "–" if found.median_latency_ms is None else f"{found.median_latency_ms:.1f} ms"
        unanswered = found.total - found.labelled
        return [
            ("Drawings", str(found.total), f"{found.challenge} in challenges"),
            ("Confirmed", str(found.confirmed), "the model was right"),
            ("Corrected", str(found.corrected), f"{unanswered} not answered"),
            ("Accuracy", accuracy, f"on {found.labelled} answered"),
            ("Median latency", latency, "drawing to answer"),
        ]

    def _draw_figures(self, page, rect, found) -> None:
        cards = self.figures(found)
        gap = 10
        width = (rect.width - gap * (len(cards) - 1)) // len(cards)
        colours = (look.TEXT, look.GOOD, look.AMBER, look.ACCENT, look.TEXT)
        for index, (name, value, detail) in enumerate(cards):
            card = pygame.Rect(rect.x + index * (width + gap), rect.y, width, rect.height)
            if width < 130:
                name = {"Median latency": "Latency"}.get(name, name)
            look.panel(page, card, name)
            # A narrow window: what does not fit is cut at the card's edge, not drawn over the next.
            page.set_clip(card.inflate(-8, 0))
            size = 30 if look.font(30, "bold").size(value)[0] < width - 30 else 22
            look.text(
                page, value, (card.x + 16, card.y + 52), size, colours[index], "bold", "midleft"
            )
            look.text(
                page, detail, (card.x + 17, card.bottom - 8), 11, look.FAINT, anchor="bottomleft"
            )
            page.set_clip(None)

    def _draw_matrix(self, page, rect, found) -> None:
        look.panel(page, rect, "Confusion matrix")
        area = rect.inflate(-24, 0)
        area.y, area.height = rect.y + 38, rect.height - 46
        if found.labelled == 0:
            self._centred(page, area, "Answer the model's question after Classify to fill this in.")
            return
        surface = charts.heat_map(found.confusion, area.size, "you said", "model said")
        page.blit(surface, area)

    def _draw_digits(self, page, rect, found) -> None:
        look.panel(page, rect, "Accuracy per digit")
        if found.best_score is not None:
            games = f"{found.challenges} game" + ("s" if found.challenges != 1 else "")
            best = f"challenge best {found.best_score} ({games})"
            title = look.font(12, "bold").size("ACCURACY PER DIGIT")[0]
            for shorter in (f"challenge best {found.best_score}", f"best {found.best_score}"):
                if title + look.font(11, "bold").size(best)[0] + 50 <= rect.width:
                    break
                best = shorter
            look.text(
                page, best, (rect.right - 18, rect.y + 14), 11, look.AMBER, "bold", "topright"
            )
        counts = found.per_digit()
        captions = [f"{right}/{count}" if count else "–" for right, count in counts]
        trend_height = 0 if not found.trend else min(120, rect.height // 3)
        bars = pygame.Rect(rect.x + 14, rect.y + 40, rect.width - 28, 0)
        bars.height = rect.height - 52 - (trend_height + 28 if trend_height else 0)
        chart = charts.bar_chart(
            found.digit_accuracy(), bars.size, [str(d) for d in range(10)], captions
        )
        page.blit(chart, bars)
        if trend_height:
            y = bars.bottom + 14
            look.text(page, "ACCURACY OVER TIME", (rect.x + 18, y), 11, look.MUTED, "bold")
            first, last = found.trend[0], found.trend[-1]
            change = f"from {first:.0%} to {last:.0%}"
            if look.font(11, "bold").size(change + "ACCURACY OVER TIME")[0] + 60 < rect.width:
                look.text(page, change, (rect.right - 18, y), 11, look.MUTED, "bold", "topright")
            area = pygame.Rect(rect.x + 10, y + 16, rect.width - 24, trend_height - 4)
            # The axis from a round ten under the lowest point: on 0-100 % a model that is
            # right most of the time would draw a flat line at the top.
            low = max(0.0, math.floor((min(found.trend) - 0.05) * 10) / 10)
            line = charts.line_chart(
                [(found.trend, look.ACCENT)], area.size, low, 1.0, "{:.0%}", "oldest to newest"
            )
            page.blit(line, area)

    def _draw_recent(self, page, rect, found) -> None:
        look.panel(page, rect, "Latest drawings")
        legend = "model said · you said  ·  dot: a challenge drawing"
        x = rect.x + 18 + look.font(12, "bold").size("LATEST DRAWINGS")[0] + 14
        if x + look.font(11).size(legend)[0] > rect.right - 180:
            legend = "model said · you said"  # the Export button needs the room
        look.text(page, legend, (x, rect.y + 15), 11, look.FAINT)
        side = 56
        step = side + 18
        x = rect.x + 18
        for drawing in found.recent:
            if x + side > rect.right - 12:
                break
            box = pygame.Rect(x, rect.y + 38, side, side)
            page.blit(charts.thumbnail(drawing.image, side), box)
            if drawing.label is None:
                colour, caption = look.MUTED, f"{drawing.read_as} · ?"
            else:
                colour = look.GOOD if drawing.label == drawing.prediction else look.BAD
                caption = f"{drawing.read_as} · {drawing.label}"
            pygame.draw.rect(page, colour, box.inflate(2, 2), 1)
            look.text(page, caption, (box.centerx, box.bottom + 6), 13, colour, "bold", "midtop")
            if drawing.mode == "challenge":
                pygame.draw.circle(page, look.AMBER, (box.right - 5, box.y + 5), 3)
            x += step

    def _draw_model_card(self, page, rect) -> None:
        card = self.app.card
        look.panel(page, rect, "The model")
        inner = rect.inflate(-36, 0)
        look.text(page, self.app.model_path.name, (inner.x, rect.y + 36), 18, look.TEXT, "bold")
        if not card:
            self._centred(page, rect, "This model has no model card (model.json).")
            return
        test = card.get("test") or {}
        accuracy = test.get("accuracy")
        y = rect.y + 66
        if accuracy is not None:
            look.text(page, f"{accuracy:.2%}", (inner.x, y), 38, look.ACCENT, "bold")
            look.text(page, "on the 10,000 MNIST test digits", (inner.x, y + 50), 12, look.MUTED)
        y += 76
        facts = []
        if card.get("parameters"):
            facts.append(("Parameters", f"{int(card['parameters']):,}"))
        if card.get("created"):
            facts.append(("Trained", _date(card["created"])))
        epochs = len((card.get("history") or {}).get("loss") or [])
        if epochs:
            minutes = card.get("training_seconds")
            took = f", {minutes / 60:.0f} min" if isinstance(minutes, int | float) else ""
            facts.append(("Epochs", f"{epochs}{took}"))
        if card.get("user_drawings"):
            facts.append(("Your drawings", str(card["user_drawings"])))
        for name, value in facts:
            look.text(page, name, (inner.x, y), 13, look.MUTED)
            look.text(page, value, (inner.right, y), 13, look.TEXT, "bold", "topright")
            y += 21
        per_class = test.get("per_class_accuracy")
        if isinstance(per_class, list) and len(per_class) == 10:
            y += 8
            look.text(page, "PER DIGIT (MNIST TEST)", (inner.x, y), 11, look.MUTED, "bold")
            worst = min(per_class)
            # The axis starts a little under the weakest digit: at 99 % every bar would look alike.
            floor = max(0.0, int(worst * 100 - 1.5) / 100)
            look.text(
                page, f"from {floor:.0%}", (inner.right, y), 11, look.FAINT, anchor="topright"
            )
            area = pygame.Rect(inner.x, y + 18, inner.width, 96)
            captions = [f"{value * 100:.1f}" for value in per_class]
            chart = charts.bar_chart(
                per_class, area.size, [str(d) for d in range(10)], captions, floor
            )
            page.blit(chart, area)
            y = area.bottom + 10
        curves = card.get("history") or {}
        room = rect.bottom - 16 - y
        if curves.get("loss") and room > 120:
            height = (room - 2 * 22) // 2
            for title, key, axis in (
                ("LOSS", "loss", "{:.2f}"),
                ("ACCURACY", "accuracy", "{:.1%}"),
            ):
                look.text(page, f"{title} PER EPOCH", (inner.x, y), 11, look.MUTED, "bold")
                legend_x = inner.right
                # The legend once, beside the first chart: both use the same colours.
                legend = (
                    () if key != "loss" else (("validation", look.AMBER), ("training", look.ACCENT))
                )
                for label, colour in legend:
                    width = look.text(
                        page, label, (legend_x, y), 11, colour, "bold", "topright"
                    ).width
                    legend_x -= width + 12
                series = [
                    (curves.get(key) or [], look.ACCENT),
                    (curves.get(f"val_{key}") or [], look.AMBER),
                ]
                area = pygame.Rect(inner.x - 4, y + 18, inner.width + 4, height)
                page.blit(charts.line_chart(series, area.size, axis_format=axis), area)
                y = area.bottom + 4 + 22 - 18

    def _draw_message(self, page, rect, title: str, message: str, colour) -> None:
        look.panel(page, rect)
        look.text(page, title, (rect.centerx, rect.centery - 50), 30, look.TEXT, "bold", "center")
        font = look.font(17)
        for index, line in enumerate(chrome.wrap(message, font, min(rect.width - 80, 560))):
            look.text(
                page,
                line,
                (rect.centerx, rect.centery - 10 + 26 * index),
                17,
                colour,
                "regular",
                "midtop",
            )

    def _centred(self, page, rect, message: str) -> None:
        font = look.font(14)
        lines = chrome.wrap(message, font, rect.width - 40)
        for index, line in enumerate(lines):
            y = rect.centery - 11 * len(lines) + 22 * index
            look.text(page, line, (rect.centerx, y), 14, look.MUTED, "regular", "midtop")

    def _draw_confirm(self, surface) -> None:
        dim = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        dim.fill((5, 8, 14, 190))
        surface.blit(dim, (0, 0))
        box = self._confirm_box()
        look.panel(surface, box, radius=18)
        look.text(
            surface, "Reset your statistics?", (box.x + 24, box.y + 22), 24, look.TEXT, "bold"
        )
        message = (
            "The history database is moved aside under a new name, beside the old one: "
            "nothing is deleted. Counting starts again from zero."
        )
        for index, line in enumerate(chrome.wrap(message, look.font(15), box.width - 48)):
            look.text(surface, line, (box.x + 24, box.y + 70 + 22 * index), 15, look.MUTED)


def _date(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).strftime("%d %b %Y, %H:%M UTC")
    except ValueError:
        return stamp
