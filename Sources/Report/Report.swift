// The lägesbild report: see ReportRenderer.swift.
