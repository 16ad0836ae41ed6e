// Aggregate: the third stage — computes every indicator's tables (values, changes, flags, comparisons,
// disclosure control) and the follow-up of targets, and stores them as IndicatorRecord, IndicatorValueRecord
// and FollowUpRecord rows. It keeps each events file's counts (event_count_parts, EventCountPart) and the
// measures it read (aggregate_measures, MeasureCache), so a night counts only the new files.
