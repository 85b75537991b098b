"""What every stage shares, and nothing stage-specific: the document model (`model`), findings
(`findings`), the run's options (`options`), what a printed cell holds (`values`), the typed stage
results and their codec (`results`), the work folder (`store`) and the cache stamps (`version`).
Nothing here imports a stage."""
