"""Layout pieces the page's parts share."""

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def metric_row() -> DeltaGenerator:
    """A row of metrics, each as wide as its words, wrapping on a narrow window (no "8 min…")."""
    return st.container(horizontal=True, horizontal_alignment="distribute", gap="medium")
