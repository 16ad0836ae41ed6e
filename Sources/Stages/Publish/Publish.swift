// Publish: the last stage — exports CSV and JSON, loads PostgreSQL and writes the reports, all from the
// workspace alone (indicator definitions as the run stored them).
