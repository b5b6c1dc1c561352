"""The Streamlit launcher's logic, kept out of `launcher_app.py` so that it is testable alone.

Light on purpose: no pygame, no TensorFlow, no Streamlit in these modules except `charts`.
"""
