"""streamlit run launcher_app.py: the friendly front door to Digit Recognizer.

A local web page that starts the game with a chosen model, shows how good each model is, shows
what the user has drawn, and trains new models in the background. It starts processes on this
computer, so it serves localhost only (.streamlit/config.toml) and refuses to work otherwise.

No pygame and no TensorFlow in this process: the game and the training run as child processes.
The page's parts live in launcher/ (page_model, page_game, page_history, page_training).
"""

import streamlit as st

from launcher import locations, page_game, page_history, page_model, page_training, security
from launcher.resources import children


def main() -> None:
    st.set_page_config(page_title="Digit Recognizer", page_icon=":material/draw:", layout="wide")
    security.refuse_unless_local()
    data = locations.data_dir()
    kids = children(str(data))
    st.title(":material/draw: Digit Recognizer")
    st.caption("Draw a digit with the mouse and a CNN trained on MNIST says which one it is, live.")
    picker_column, option_column = st.columns([3, 2], vertical_alignment="bottom")
    with picker_column:
        model = page_model.model_picker(data)
    option_column.toggle("Full screen", key="fullscreen", help="Open the game full screen.")
    page_game.game_panel(kids.game, model, data)
    model_tab, history_tab, training_tab = st.tabs(
        [
            ":material/analytics: The model",
            ":material/history: Your drawings",
            ":material/model_training: Train a new model",
        ]
    )
    with model_tab:
        page_model.show_card(model)
    with history_tab:
        page_history.show_history(data)
    with training_tab:
        page_training.training_panel(kids.training, data, model)


if __name__ == "__main__":
    main()
