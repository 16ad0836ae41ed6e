// PipelineModel: the pipeline file — what a municipality configures (sources, code lists, indicators,
// targets, outputs, gates) — read and checked with file:line:column in every error. Knows no storage.
