"""Statistics from a history filled by the test, and the scene that shows them."""

import time

import numpy as np
import pygame
import pytest
from gamedriver import Driver, make_app

from game import stats
from game.history import History
from game.scenes import look

# (prediction, label, latency ms, mode); label None = the user did not answer.
ROWS = [
    (3, 3, 1.0, "free"),
    (3, 8, 2.0, "free"),
    (7, 7, 3.0, "challenge"),
    (1, None, 4.0, "free"),
    (8, 8, 5.0, "free"),
    (5, 6, 6.0, "challenge"),
    (6, 6, 7.0, "free"),
]


def fill_history(path, rows=ROWS):
    with History.open(path) as history:
        for index, (prediction, label, latency, mode) in enumerate(rows):
            image = np.zeros((28, 28), dtype=np.uint8)
            image[index % 28, :] = 255  # each drawing recognisable by its inked row
            probabilities = np.full(10, 0.05, dtype=np.float32)
            probabilities[prediction] = 0.55
            history.add(image, probabilities, prediction, latency, "a" * 64, mode, label)


def test_stats_count_confirmed_and_corrected_drawings(tmp_path):
    fill_history(tmp_path / "h.sqlite3")
    found = stats.load_stats(tmp_path / "h.sqlite3")
    assert (found.total, found.labelled, found.confirmed, found.corrected) == (7, 6, 4, 2)
    assert found.challenge == 2
    assert found.accuracy == pytest.approx(4 / 6)
    assert found.median_latency_ms == pytest.approx(4.0)


def test_confusion_matrix_rows_are_the_users_digit_and_columns_the_models(tmp_path):
    fill_history(tmp_path / "h.sqlite3")
    matrix = stats.load_stats(tmp_path / "h.sqlite3").confusion
    expected = np.zeros((10, 10), dtype=np.int64)
    for prediction, label, _, _ in ROWS:
        if label is not None:
            expected[label, prediction] += 1
    np.testing.assert_array_equal(matrix, expected)
    assert matrix[8, 3] == 1 and matrix[3, 8] == 0  # a 3 the user corrected to 8


def test_accuracy_per_digit_counts_only_answered_drawings(tmp_path):
    fill_history(tmp_path / "h.sqlite3")
    found = stats.load_stats(tmp_path / "h.sqlite3")
    per_digit = found.per_digit()
    assert per_digit[8] == (1, 2)
    assert per_digit[6] == (1, 2)
    assert per_digit[1] == (0, 0)
    assert found.digit_accuracy()[1] is None and found.digit_accuracy()[7] == 1.0


def test_recent_drawings_are_newest_first_with_their_images(tmp_path):
    fill_history(tmp_path / "h.sqlite3")
    recent = stats.load_stats(tmp_path / "h.sqlite3", recent=3).recent
    assert [(d.prediction, d.label) for d in recent] == [(6, 6), (5, 6), (8, 8)]
    assert recent[0].image[6].min() == 255 and recent[0].image[5].max() == 0
    assert recent[0].confidence == pytest.approx(0.55)


def test_best_challenge_score_comes_from_the_history(tmp_path):
    with History.open(tmp_path / "h.sqlite3") as history:
        history.record_score(300, 10, 2)
        history.record_score(740, 10, 6)
        history.record_score(120, 10, 1)
    found = stats.load_stats(tmp_path / "h.sqlite3")
    assert (found.best_score, found.challenges, found.total) == (740, 3, 0)


def test_no_database_yet_gives_empty_statistics(tmp_path):
    found = stats.load_stats(tmp_path / "missing.sqlite3")
    assert found.total == 0 and found.accuracy is None and found.median_latency_ms is None
    assert not (tmp_path / "missing.sqlite3").exists(), "reading must not create the database"


def test_accuracy_trend_follows_the_labelled_drawings_in_order(tmp_path):
    wrong = [(1, 2, 1.0, "free")] * 10
    right = [(4, 4, 1.0, "free")] * 10
    unanswered = [(5, None, 1.0, "free")] * 7  # not part of the trend
    fill_history(tmp_path / "h.sqlite3", wrong + unanswered + right)
    assert stats.load_stats(tmp_path / "h.sqlite3").trend == (0.0, 0.0, 1.0, 1.0)


def test_no_trend_from_a_handful_of_drawings(tmp_path):
    fill_history(tmp_path / "h.sqlite3", ROWS)
    assert stats.load_stats(tmp_path / "h.sqlite3").trend == ()


# The scene -------------------------------------------------------------------------------------


def open_stats(driver: Driver):
    driver.key(pygame.K_s, frames=2)
    scene = driver.scene
    deadline = time.monotonic() + 10
    while scene.page is None and time.monotonic() < deadline:
        driver.frames(1)
        time.sleep(0.005)
    assert scene.page is not None, "the statistics never arrived"
    return scene


@pytest.fixture
def filled_app(tmp_path):
    fill_history(tmp_path / "history.sqlite3")
    app = make_app(tmp_path)
    Driver(app).wait_ready()
    yield app
    app.close()


def test_stats_scene_shows_the_numbers_of_the_rows(filled_app):
    scene = open_stats(Driver(filled_app))
    shown = {name: value for name, value, _ in scene.figures(scene.stats)}
    assert shown == {
        "Drawings": "7",
        "Confirmed": "4",
        "Corrected": "2",
        "Accuracy": "67%",
        "Median answer time": "4.0 ms",
    }


def test_stats_scene_draws_the_heat_map_and_thumbnails(filled_app):
    scene = open_stats(Driver(filled_app))
    page = scene.page
    matrix = scene.rects["matrix"]
    recent = scene.rects["recent"]
    # Something was drawn inside the panels beyond their plain background.
    for rect in (matrix, recent):
        colours = {tuple(page.get_at((x, y))) for x in range(rect.x, rect.right, 7)
                   for y in range(rect.y + 40, rect.bottom - 10, 7)}  # fmt: skip
        assert len(colours) > 5
    # The newest drawing (inked row 6, white) is the first thumbnail.
    assert tuple(page.get_at((recent.x + 18 + 10, recent.y + 38 + 6 * 2 + 1)))[:3] == (
        255,
        255,
        255,
    )


def test_empty_history_says_how_to_start(tmp_path):
    app = make_app(tmp_path)
    try:
        driver = Driver(app)
        driver.wait_ready()
        scene = open_stats(driver)
        assert scene.stats.total == 0
        assert not scene.widget_named("reset_stats").is_enabled
    finally:
        app.close()


def test_reset_asks_first_then_moves_the_database_aside(filled_app, tmp_path):
    driver = Driver(filled_app)
    scene = open_stats(driver)
    driver.click_widget("reset_stats")
    assert scene.confirming
    driver.key(pygame.K_ESCAPE, frames=3)  # the page's buttons, hidden behind the dialog, return
    assert not scene.confirming and scene.stats.total == 7, "cancel keeps everything"
    driver.click_widget("reset_stats")
    driver.click_widget("confirm_reset")
    deadline = time.monotonic() + 10
    while (scene.resetting is not None or scene.page is None) and time.monotonic() < deadline:
        driver.frames(1)
        time.sleep(0.005)
    assert scene.stats.total == 0
    moved = [p for p in tmp_path.glob("history-*.sqlite3")]
    assert len(moved) == 1
    assert stats.load_stats(moved[0]).total == 7, "the old database is kept whole"
    # The game goes on recording into a fresh database.
    filled_app.recorder.add(
        image=np.zeros((28, 28), np.uint8),
        probabilities=np.full(10, 0.1, np.float32),
        prediction=2,
        latency_ms=1.0,
        model_sha256="b" * 64,
    )
    filled_app.recorder.flush()
    assert stats.load_stats(tmp_path / "history.sqlite3").total == 1


def test_export_writes_the_labelled_drawings_beside_the_history(filled_app, tmp_path):
    driver = Driver(filled_app)
    scene = open_stats(driver)
    driver.frames(1)
    driver.click_widget("export")
    deadline = time.monotonic() + 10
    while scene.exporting is not None and time.monotonic() < deadline:
        driver.frames(1)
        time.sleep(0.005)
    (exported,) = tmp_path.glob("drawings-*.npz")
    with np.load(exported) as data:
        assert data["x_train"].shape == (6, 28, 28)
        assert list(data["y_train"]) == [3, 8, 7, 8, 6, 6]
    assert stats.load_stats(tmp_path / "history.sqlite3").total == 7, "export changes nothing"
    # The toast that says so leaves the figure cards readable.
    driver.frames(1)
    with look.recording() as drawn:
        scene.draw(filled_app.surface)
    toast = [whole for kind, words, _, whole in drawn if words.startswith("Exported")]
    assert toast and not any(rect.colliderect(scene.rects["figures"]) for rect in toast)


def test_a_digit_the_model_called_not_a_digit_counts_as_a_miss(tmp_path):
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        probabilities = np.full(10, 0.01, dtype=np.float32)  # 90 % left for "not a digit"
        image = np.zeros((28, 28), dtype=np.uint8)
        history.add(image, probabilities, stats.NOT_A_DIGIT, 1.0, "a" * 64, "free", 4)
        history.add(image, probabilities, stats.NOT_A_DIGIT, 1.0, "a" * 64, "free", None)
    found = stats.load_stats(path)
    assert (found.total, found.labelled, found.confirmed) == (2, 1, 0)
    assert found.per_digit()[4] == (0, 1) and found.accuracy == 0.0
    assert found.recent[0].read_as == "none"
    assert found.recent[0].confidence == pytest.approx(0.9)


def test_model_card_panel_says_the_training_time_as_the_launcher_does():
    from game.scenes.model_card_panel import facts

    card = {"history": {"loss": [1.0, 0.5]}, "training_seconds": 843.3}
    assert ("Epochs", "2, 14 min 03 s") in facts(card)
