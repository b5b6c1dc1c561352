"""The draw scene's keys and buttons: which key does what a button does, and what each button
(or key) does to the scene. The number mode, a draw scene, shares them."""

import pygame

from game.scenes import look

DIGIT_KEYS = {getattr(pygame, f"K_{d}"): d for d in range(10)}
DIGIT_KEYS.update({getattr(pygame, f"K_KP{d}"): d for d in range(10)})
HINTS = "Enter classify   ·   Backspace reset   ·   Ctrl+Z undo   ·   E erase   ·   D draw   ·   +/- brush   ·   N numbers   ·   H help   ·   Esc menu"  # noqa: E501
# Keys that do what a button does, by the button's name (Ctrl+Z and the answer keys apart).
KEY_ACTIONS = {
    **dict.fromkeys((pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_c), "classify"),
    **dict.fromkeys((pygame.K_BACKSPACE, pygame.K_r, pygame.K_DELETE), "reset"),
    pygame.K_e: "erase",
    pygame.K_d: "draw",
    **dict.fromkeys((pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS), "bigger"),
    **dict.fromkeys((pygame.K_MINUS, pygame.K_KP_MINUS, pygame.K_UNDERSCORE), "smaller"),
    **dict.fromkeys((pygame.K_h, pygame.K_F1), "help"),
    pygame.K_n: "mode",
    pygame.K_ESCAPE: "menu",
}


def press(scene, name: str) -> bool:
    """Do what the button `name` does; False when no button has that name."""
    if name.startswith("digit_"):
        scene.answer(int(name.removeprefix("digit_")))
        return True
    action = {
        "draw": lambda: scene.set_erasing(False),
        "erase": lambda: scene.set_erasing(True),
        "undo": scene.undo,
        "reset": scene.reset,
        "bigger": lambda: scene.change_brush(+1),
        "smaller": lambda: scene.change_brush(-1),
        "classify": scene.classify,
        "confirm": scene.confirm,
        "skip": scene.skip_answer,
        "help": lambda: scene.app.push("help"),
        "menu": scene.go_back,
        "fresh": scene.start_fresh,
        "mode": scene.switch_mode,
    }.get(name)
    if action is None:
        return False
    action()
    return True


def on_key(scene, event: pygame.event.Event) -> bool:
    """A key pressed on the draw scene: an answer while asked, else Ctrl+Z or a button's key."""
    key, ctrl = event.key, bool(event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META))
    if scene.answering is not None:
        if key in DIGIT_KEYS:
            scene.answer(DIGIT_KEYS[key])
            return True
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE):
            scene.skip_answer() if key == pygame.K_ESCAPE else scene.confirm()
            return True
    if key == pygame.K_z and ctrl:
        scene.undo()
        return True
    if key in DIGIT_KEYS and not event.mod & pygame.KMOD_SHIFT:
        # Digits answer the question Classify asks; before it they would do nothing.
        first = "Draw a digit, press Enter" if scene.canvas.is_empty else "Press Enter"
        what = "number" if scene.mode_name == "number" else "digit"
        scene.show_toast(f"{first} to classify, then type the {what} it was", look.AMBER)
        return True
    return key in KEY_ACTIONS and press(scene, KEY_ACTIONS[key])
