"""The draw scene, driven with real pygame events: what each button and key does for the player."""

import threading

import pygame
import pytest
from gamedriver import Driver, FakeClassifier, make_app, running

from game import app as game_app
from game.history import History
from game.predictor import LOADING, READY


@pytest.fixture
def driver(tmp_path):
    with running(make_app(tmp_path)) as driver:
        driver.key(pygame.K_RETURN, frames=2)  # title -> draw
        assert type(driver.scene).__name__ == "DrawScene"
        yield driver


def draw_line(driver: Driver, y: float = 0.5) -> None:
    driver.canvas_stroke([(0.2, y), (0.5, y), (0.8, y)])


def rows(tmp_path):
    with History.open(tmp_path / "history.sqlite3") as history:
        return history.drawings()


def test_mouse_down_move_up_draws_a_stroke(driver):
    canvas_rect = driver.scene.rects["canvas"]
    start = (canvas_rect.x + 50, canvas_rect.y + 60)
    end = (canvas_rect.x + 250, canvas_rect.y + 60)
    driver.stroke([start, (canvas_rect.x + 150, canvas_rect.y + 60), end])
    canvas = driver.scene.canvas
    assert len(canvas.strokes) == 1
    assert canvas.strokes[0].points[0].tolist() == [50, 60]
    assert canvas.ink_at((150, 60)) == 1.0
    # What is on the window is what is on the canvas.
    assert (
        driver.app.surface.get_at((canvas_rect.x + 150, canvas_rect.y + 60))[:3]
        == (driver.scene.canvas.surface.get_at((150, 60))[:3])
    )


def test_fast_mouse_moves_leave_no_gaps(driver):
    rect = driver.scene.rects["canvas"]
    driver.stroke([(rect.x + 10, rect.y + 100), (rect.right - 10, rect.y + 100)])
    canvas = driver.scene.canvas
    assert all(canvas.ink_at((x, 100)) == 1.0 for x in range(10, rect.width - 10))


def test_stroke_ends_when_the_button_was_released_outside_the_window(driver):
    rect = driver.scene.rects["canvas"]
    driver.post(pygame.MOUSEBUTTONDOWN, pos=rect.center, button=1)
    driver.post(pygame.MOUSEMOTION, pos=(rect.centerx, rect.y + 5), rel=(0, 0), buttons=(1, 0, 0))
    driver.post(pygame.MOUSEMOTION, pos=(rect.x + 5, rect.y + 5), rel=(0, 0), buttons=(0, 0, 0))
    driver.post(pygame.MOUSEMOTION, pos=(rect.x + 9, rect.bottom - 9), rel=(0, 0), buttons=(0,) * 3)
    driver.frames(1)
    canvas = driver.scene.canvas
    assert not canvas.drawing and len(canvas.strokes) == 1
    assert canvas.ink_at((9, rect.h - 9)) == 0.0


def test_live_prediction_appears_while_drawing(driver):
    driver.post(pygame.MOUSEBUTTONDOWN, pos=driver.scene.rects["canvas"].center, button=1)
    rect = driver.scene.rects["canvas"]
    driver.post(pygame.MOUSEMOTION, pos=(rect.centerx, rect.bottom - 40), rel=(0, 0), buttons=(1,))
    prediction = driver.wait_prediction()
    assert driver.scene.canvas.drawing, "the prediction came while the button was still down"
    assert prediction.digit == 3 and prediction.image.shape == (28, 28)


def test_empty_canvas_and_lone_dot_say_draw_a_digit(driver):
    assert driver.scene.prediction is None
    rect = driver.scene.rects["canvas"]
    driver.stroke([rect.center, rect.center])  # a tap
    prediction = driver.wait_prediction()
    assert prediction.probabilities is None
    assert not driver.scene.widget_named("classify").is_enabled, "a dot is nothing to classify"
    driver.key(pygame.K_RETURN, frames=3)
    assert driver.scene.answering is None
    assert "dot" in driver.scene.toast.message
    draw_line(driver)
    driver.wait_prediction()
    driver.frames(1)
    assert driver.scene.widget_named("classify").is_enabled


@pytest.mark.parametrize("key", [pygame.K_7, pygame.K_KP7])
def test_a_digit_key_before_classify_says_what_to_do(driver, key):
    driver.key(key)
    assert driver.scene.toast.message == (
        "Draw a digit, press Enter to classify, then type the digit it was"
    )
    draw_line(driver)
    driver.key(key)
    assert driver.scene.toast.message == "Press Enter to classify, then type the digit it was"
    assert driver.scene.answering is None


@pytest.mark.parametrize("how", ["key_r", "key_backspace", "button"])
def test_reset_clears_the_canvas(driver, how):
    draw_line(driver)
    if how == "button":
        driver.click_widget("reset")
    else:
        driver.key(pygame.K_r if how == "key_r" else pygame.K_BACKSPACE)
    assert driver.scene.canvas.is_empty


@pytest.mark.parametrize("how", ["keys", "button"])
def test_undo_removes_the_last_stroke(driver, how):
    draw_line(driver, 0.3)
    draw_line(driver, 0.7)
    if how == "keys":
        driver.key(pygame.K_z, mod=pygame.KMOD_LCTRL)
    else:
        driver.click_widget("undo")
    strokes = driver.scene.canvas.strokes
    assert len(strokes) == 1 and strokes[0].points[0][1] < driver.scene.rects["canvas"].h / 2


def test_plain_z_does_not_undo(driver):
    draw_line(driver)
    driver.key(pygame.K_z)
    assert len(driver.scene.canvas.strokes) == 1


@pytest.mark.parametrize("how", ["keys", "buttons"])
def test_erase_and_draw_switch_the_pen(driver, how):
    draw_line(driver)
    if how == "keys":
        driver.key(pygame.K_e)
    else:
        driver.click_widget("erase")
    assert driver.scene.erasing and driver.scene.widget_named("erase").is_selected
    driver.canvas_stroke([(0.5, 0.3), (0.5, 0.7)])
    scene = driver.scene
    assert scene.canvas.strokes[-1].erase
    centre = (scene.canvas.size[0] // 2, scene.canvas.size[1] // 2)
    assert scene.canvas.ink_at(centre) == 0.0
    if how == "keys":
        driver.key(pygame.K_d)
    else:
        driver.click_widget("draw")
    assert not scene.erasing and scene.widget_named("draw").is_selected
    driver.canvas_stroke([(0.5, 0.3), (0.5, 0.7)])
    assert not scene.canvas.strokes[-1].erase and scene.canvas.ink_at(centre) == 1.0


def test_brush_size_keys_and_buttons(driver):
    scene = driver.scene
    start = scene.brush
    driver.key(pygame.K_PLUS)
    assert scene.brush > start
    driver.key(pygame.K_MINUS)
    driver.key(pygame.K_MINUS)
    assert scene.brush < start
    driver.click_widget("bigger")
    assert scene.brush == start
    draw_line(driver)
    assert scene.canvas.strokes[-1].width == start
    for _ in range(20):
        driver.key(pygame.K_EQUALS)  # + without shift
    assert scene.widget_named("bigger").is_enabled is False


def test_classify_then_confirm_records_the_label(driver, tmp_path):
    draw_line(driver)
    driver.wait_prediction()
    driver.key(pygame.K_RETURN, frames=2)
    assert driver.scene.answering is not None
    assert driver.scene.widget_named("confirm").text == "Yes, it's a 3"
    driver.key(pygame.K_RETURN, frames=2)
    assert driver.scene.answering is None and driver.scene.canvas.is_empty
    driver.app.recorder.flush()
    (row,) = rows(tmp_path)
    assert (row.prediction, row.label, row.mode) == (3, 3, "free")
    assert row.model_sha256 == FakeClassifier.info.sha256
    assert row.image.shape == (28, 28) and row.image.max() == 255


def test_classify_button_then_correct_with_a_digit_button(driver, tmp_path):
    draw_line(driver)
    driver.wait_prediction()
    driver.click_widget("classify")
    driver.click_widget("digit_8")
    driver.app.recorder.flush()
    (row,) = rows(tmp_path)
    assert (row.prediction, row.label) == (3, 8)
    assert "8" in driver.scene.toast.message


def test_classify_with_c_then_correct_with_a_key(driver, tmp_path):
    draw_line(driver)
    driver.key(pygame.K_c, frames=1)  # may arrive before the prediction: committed on arrival
    driver.wait_prediction()
    driver.frames(2)
    driver.key(pygame.K_5)
    driver.app.recorder.flush()
    (row,) = rows(tmp_path)
    assert (row.prediction, row.label) == (3, 5)


def test_skipped_question_keeps_the_row_unlabelled(driver, tmp_path):
    draw_line(driver)
    driver.wait_prediction()
    driver.key(pygame.K_RETURN, frames=2)
    driver.key(pygame.K_ESCAPE)
    assert driver.scene.answering is None
    assert type(driver.scene).__name__ == "DrawScene", "Esc skipped, it did not leave"
    driver.app.recorder.flush()
    (row,) = rows(tmp_path)
    assert row.label is None


def test_classify_with_nothing_drawn_records_nothing(driver, tmp_path):
    driver.key(pygame.K_RETURN, frames=2)
    assert driver.scene.answering is None and "Draw a digit" in driver.scene.toast.message
    driver.app.recorder.flush()
    assert rows(tmp_path) == []


def test_help_opens_with_h_and_f1_and_closes(driver):
    for key in (pygame.K_h, pygame.K_F1):
        driver.key(key, frames=2)
        assert type(driver.scene).__name__ == "HelpOverlay"
        driver.key(pygame.K_SPACE, frames=2)
        assert type(driver.scene).__name__ == "DrawScene"
    driver.click_widget("help")
    assert type(driver.scene).__name__ == "HelpOverlay"


def test_keys_under_the_help_do_not_reach_the_canvas(driver):
    draw_line(driver)
    driver.key(pygame.K_h, frames=2)
    driver.key(pygame.K_r, frames=2)  # closes the help only
    assert not driver.scene.canvas.is_empty


def test_escape_goes_back_to_the_title_and_quits_from_there(driver):
    driver.key(pygame.K_ESCAPE, frames=2)
    assert type(driver.scene).__name__ == "TitleScene"
    assert driver.app.running
    driver.key(pygame.K_ESCAPE, frames=1)
    assert not driver.app.running and driver.app.exit_code == 0


def test_window_resize_relayouts_and_keeps_the_drawing(driver):
    draw_line(driver)
    before = driver.scene.rects["canvas"].copy()
    driver.post(pygame.VIDEORESIZE, size=(1500, 980), w=1500, h=980)
    driver.frames(2)
    scene = driver.scene
    assert driver.app.size == (1500, 980)
    assert scene.rects["canvas"].w > before.w
    assert scene.canvas.size == scene.rects["canvas"].size
    assert len(scene.canvas.strokes) == 1
    assert all(driver.app.surface.get_rect().contains(w.rect) for w in scene.widgets)


def test_loading_state_is_shown_until_the_model_is_ready(tmp_path):
    gate = threading.Event()

    def slow_loader(path):
        gate.wait(10)
        return FakeClassifier()

    app = make_app(tmp_path, loader=slow_loader)
    try:
        driver = Driver(app)
        driver.frames(2)
        assert app.predictor.state == LOADING
        driver.key(pygame.K_RETURN, frames=2)
        draw_line(driver)  # the window is interactive while the model loads
        assert len(driver.scene.canvas.strokes) == 1
        assert not driver.scene.widget_named("classify").is_enabled
        driver.key(pygame.K_RETURN, frames=2)
        assert "loading" in driver.scene.toast.message
        gate.set()
        driver.wait_ready()
        assert app.predictor.state == READY
        assert driver.wait_prediction().digit == 3  # strokes drawn while loading are classified
    finally:
        gate.set()
        app.close()


def test_model_that_fails_to_load_closes_with_exit_code_2(tmp_path):
    def refusing_loader(path):
        raise ValueError(f"The model {path.name} expects 32x32 images, not 28x28.")

    app = make_app(tmp_path, loader=refusing_loader)
    try:
        app.predictor.wait_ready(5)
        assert not app.run_frames(3)
        assert app.exit_code == 2
        assert app.error == "The model model.onnx expects 32x32 images, not 28x28."
    finally:
        app.close()


def test_run_prints_the_sentence_and_returns_2_for_a_file_that_is_not_a_model(tmp_path, capsys):
    bad = tmp_path / "notes.onnx"
    bad.write_text("this is not a model")
    code = game_app.run(bad, tmp_path, fullscreen=False)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert "notes.onnx" in err and "\n" not in err and "Traceback" not in err
    assert not pygame.display.get_init(), "the window is closed"


def test_history_that_cannot_be_opened_is_reported_once_and_the_game_goes_on(tmp_path):
    not_a_database = tmp_path / "history.sqlite3"
    not_a_database.mkdir()  # a folder where the database should be
    app = make_app(tmp_path, history_file=not_a_database)
    try:
        driver = Driver(app)
        driver.wait_ready()
        driver.key(pygame.K_RETURN, frames=2)
        app.recorder.flush()
        driver.frames(2)
        assert "History is off" in driver.scene.toast.message
        draw_line(driver)
        driver.wait_prediction()
        driver.key(pygame.K_RETURN, frames=2)
        driver.key(pygame.K_3, frames=2)
        assert driver.scene.committed == 1 and driver.scene.canvas.is_empty
        assert driver.scene.toast.message.startswith("Nice")
        assert not_a_database.is_dir(), "the path is left as it was"
    finally:
        app.close()


# Work is not thrown away by one keypress (issue 16 item 7) ----------------------------------------


@pytest.mark.parametrize("how", ["keys", "buttons"])
def test_undo_after_reset_brings_the_drawing_back(driver, how):
    draw_line(driver, 0.3)
    draw_line(driver, 0.7)
    before = [stroke.points.tolist() for stroke in driver.scene.canvas.strokes]
    if how == "keys":
        driver.key(pygame.K_BACKSPACE)
    else:
        driver.click_widget("reset")
    assert driver.scene.canvas.is_empty
    assert "Ctrl+Z" in driver.scene.toast.message and driver.scene.toast.visible
    if how == "keys":
        driver.key(pygame.K_z, mod=pygame.KMOD_LCTRL)
    else:
        driver.click_widget("undo")
    assert [stroke.points.tolist() for stroke in driver.scene.canvas.strokes] == before
    assert driver.scene.canvas.ink_at(driver.scene.canvas.strokes[0].points[1]) == 1.0


def test_undo_after_reset_and_a_new_stroke_first_removes_the_new_stroke(driver):
    draw_line(driver, 0.3)
    driver.key(pygame.K_r)
    draw_line(driver, 0.7)
    driver.key(pygame.K_z, mod=pygame.KMOD_LCTRL)
    assert driver.scene.canvas.is_empty
    driver.key(pygame.K_z, mod=pygame.KMOD_LCTRL)
    (stroke,) = driver.scene.canvas.strokes
    assert stroke.points[0][1] < driver.scene.rects["canvas"].h / 2


def test_escape_with_a_drawing_asks_before_leaving(driver):
    draw_line(driver)
    driver.key(pygame.K_ESCAPE, frames=2)
    assert type(driver.scene).__name__ == "DrawScene", "one Esc threw the drawing away"
    assert len(driver.scene.canvas.strokes) == 1
    toast = driver.scene.toast
    assert toast.visible and "Esc again" in toast.message
    driver.key(pygame.K_ESCAPE, frames=2)
    assert type(driver.scene).__name__ == "TitleScene"
    assert driver.app.running


def test_drawing_after_the_question_to_leave_cancels_it(driver):
    draw_line(driver, 0.3)
    driver.key(pygame.K_ESCAPE, frames=2)
    draw_line(driver, 0.7)
    assert not driver.scene.toast.visible
    driver.key(pygame.K_ESCAPE, frames=2)
    assert type(driver.scene).__name__ == "DrawScene"


def test_menu_button_with_a_drawing_asks_before_leaving(driver):
    draw_line(driver)
    driver.click_widget("menu")
    assert type(driver.scene).__name__ == "DrawScene"
    assert "Menu" in driver.scene.toast.message
    driver.click_widget("menu")
    assert type(driver.scene).__name__ == "TitleScene"


def test_a_new_stroke_after_classify_says_the_question_was_dropped(driver, tmp_path):
    draw_line(driver, 0.3)
    driver.wait_prediction()
    driver.key(pygame.K_RETURN, frames=2)
    assert driver.scene.answering is not None
    draw_line(driver, 0.7)
    assert driver.scene.answering is None
    toast = driver.scene.toast
    assert toast.visible and "question" in toast.message.lower()
    driver.app.recorder.flush()
    (row,) = rows(tmp_path)
    assert row.label is None


def test_the_window_goes_before_the_last_history_write_is_waited_for(tmp_path):
    """Closing waits up to seconds for the writer thread; the window must not hang there."""
    app = make_app(tmp_path)
    seen = []
    close = app.recorder.close
    app.recorder.close = lambda *args: (seen.append(pygame.display.get_init()), close(*args))
    app.close()
    assert seen == [False]
