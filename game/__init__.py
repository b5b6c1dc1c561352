"""Digit Recognizer: draw a digit, a CNN trained on MNIST says which one it is."""

__version__ = "0.1.0"
