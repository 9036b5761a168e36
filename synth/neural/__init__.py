"""Neural guides for the search: BUSTLE-style property signatures, synthetic training data, a small
value-scoring model, its training loop, and the weights shipped with the package."""
