// Normalize: the second stage — loads code lists, maps raw rows to codes, areas and periods, and writes
// observations and the events' column files.
