// LagesbildRunner: runs the stages in order under the workspace lock, records the run history, checks
// fingerprints and gates, and answers status, explain, quarantine and validate.
