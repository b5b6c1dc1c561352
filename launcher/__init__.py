"""The Streamlit launcher's parts; `launcher_app.py` only lays them out.

The page's parts (`page_*`, `security`, `resources`, `charts`) use Streamlit or Altair; the logic
they call (`process`, `training_run`, `dashboard`, `locations`, `mnist_files`, `text`) does not,
so that it is testable alone. No pygame and no TensorFlow anywhere here.
"""
