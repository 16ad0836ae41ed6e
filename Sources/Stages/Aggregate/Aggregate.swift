// Aggregate: the third stage — computes every indicator's tables (values, changes, flags, comparisons,
// disclosure control) and the follow-up of targets, and stores them as IndicatorRecord, IndicatorValueRecord
// and FollowUpRecord rows.
