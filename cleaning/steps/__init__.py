"""The document steps, in pipeline order: site model, strip, split, annotate; dedup runs across documents."""
