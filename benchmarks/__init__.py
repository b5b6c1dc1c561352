"""The product's figures: `python -m benchmarks` prints one table, medians of several runs."""
