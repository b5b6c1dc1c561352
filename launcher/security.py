"""The page starts programs on this computer: it works only when served on loopback."""

import ipaddress
import os

import streamlit as st

# Set to 1 by someone who has bound the server to another address on purpose (README, Launcher).
ALLOW_REMOTE_VARIABLE = "DIGITS_LAUNCHER_ALLOW_REMOTE"


def served_locally() -> bool:
    """True when the server listens on a loopback address only."""
    address = st.get_option("server.address")
    if not address:
        return False  # Streamlit's default: every interface of the machine.
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def refuse_unless_local() -> None:
    """Stop the page with one sentence when it is served beyond this computer by mistake."""
    if served_locally() or os.environ.get(ALLOW_REMOTE_VARIABLE) == "1":
        return
    st.error(
        "This page starts programs on this computer, so it only works when the server "
        "listens on localhost. Start it with `--server.address 127.0.0.1`, or keep "
        "`.streamlit/config.toml` beside launcher_app.py.",
        icon=":material/lock:",
    )
    st.stop()
