// Normalize: the second stage — loads code lists, maps raw rows to codes, areas and periods, and writes
// observations and the events' column files; an unchanged delivery keeps its result, and a delivery with rows
// appended has its events file extended with the new rows alone (DeliveryReuse).
