"""Where a model comes from and how it is loaded: registry, resolution, the Hub, embedded models, the model cache."""
