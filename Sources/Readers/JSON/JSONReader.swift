// JSONReader: JSON answers of statistics APIs (JSON paths, JSON-stat cubes) as records.
