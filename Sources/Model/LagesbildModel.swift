// LagesbildModel: the domain's values, shared by every module and depending on none — Swedish numbers,
// dates and periods, dimensions, personal-number masking, the closed vocabulary the workspace stores
// (AreaLevel, ValueStatus, ValueFlags, Direction, ReportSection, IndicatorKind, Commitment) and the
// follow-up statistics.
