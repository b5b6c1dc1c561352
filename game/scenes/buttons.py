"""Buttons the playing scenes share: a row of tool buttons, the Menu and Help pair at the top
right, and small setters that touch a widget only when its state really changes (they run
every frame, and pygame-gui redraws a widget on every change)."""

import pygame

from game.scenes.chrome import MARGIN


def tool_row(
    scene, bar: pygame.Rect, tools, width: int, gap: int = 8, space_after=(), group: int = 16
) -> None:
    """Buttons (name, label, tip) of `width` left to right along `bar`; `group` more pixels
    after the names in `space_after` group them."""
    x = bar.x
    for name, label, tip in tools:
        scene.button(pygame.Rect(x, bar.y, width, bar.height), label, name, "@tool", tip)
        x += width + gap + (group if name in space_after else 0)


def menu_and_help(scene, top_bar: pygame.Rect, help_tip: str, menu_tip: str) -> None:
    """Help at the top right, Menu left of it (the room chrome.BUTTONS_WIDTH keeps free)."""
    right = top_bar.right - MARGIN
    scene.button(pygame.Rect(right - 92, 14, 92, 36), "Help", "help", "@quiet", help_tip)
    scene.button(pygame.Rect(right - 92 - 8 - 92, 14, 92, 36), "Menu", "menu", "@quiet", menu_tip)


def set_selected(widget, selected: bool) -> None:
    if widget is not None and widget.is_selected != selected:
        widget.select() if selected else widget.unselect()


def set_enabled(widget, enabled: bool) -> None:
    if widget is not None and widget.is_enabled != enabled:
        widget.enable() if enabled else widget.disable()


def set_shown(widget, shown: bool) -> None:
    if widget is not None and widget.visible != shown:
        widget.show() if shown else widget.hide()
