// StageKit: what every stage shares — the Stage enum and its run-history helpers, the stage context and
// errors, the quarantine writer, atomic file writes, file globs, progress and the per-event column layout.
