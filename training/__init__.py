"""Training of the SGD convolutional network the app ships."""
