import PostgresOutput

/// The PostgreSQL tables lagesbild publishes, with their declared types, keys and comments, and the migrations that
/// make them. A released migration never changes: a change to a table is a new migration appended to
/// ``migrations`` (`ALTER`/`CREATE`, never `DROP` of a table or view analysts use), and ``tables`` updated to match.
enum PostgresSchema {
    /// The tables as the newest migration leaves them, in publishing order.
    static var tables: [DeclaredTable] {
        [
            indicatorValues, indicators, followup, deliveries, planProblems, planMeasures, measureFollowup,
            measureEffects, followupHistory,
        ]
    }

    /// Every version of the schema, oldest first.
    static let migrations: [SchemaMigration] = [
        SchemaMigration(
            version: 1,
            summary: "declared types, keys, indexes and comments; view indicator_values_latest",
            steps: [
                .table(indicatorValues), .table(indicators), .table(followupVersion1), .table(deliveries),
                .sql(latestValuesView),
                .sql(
                    "COMMENT ON VIEW indicator_values_latest IS "
                        + "'The latest period of each indicator, area, period type and breakdown, with the "
                        + "indicator''s title, section, unit and better direction: what a dashboard shows first.'"),
            ]),
        SchemaMigration(
            version: 2,
            summary: "follow-up judged honestly: target id, baseline tied to the data, intervals, trend, projection",
            steps: [
                // The rows are published again in the same transaction; emptying them first lets the new
                // NOT NULL column be added.
                .sql("DELETE FROM followup"),
                .table(followup),
            ]),
        SchemaMigration(
            version: 3,
            summary: "the action plan and the follow-up of its measures; the history of the targets' follow-up",
            steps: [
                .table(planProblems), .table(planMeasures), .table(measureFollowup), .table(measureEffects),
                .table(followupHistory),
            ]),
    ]

    // MARK: - Version 1

    static let indicatorValues = DeclaredTable(
        name: "indicator_values",
        comment: "One value of an indicator for one area and period (and breakdown): the lägesbild's numbers. "
            + "Suppressed values are NULL with status 'suppressed', never 0.",
        columns: [
            .init("indicator_id", .text, nullable: false, "The indicator (indicators.id)."),
            .init(
                "area_code", .text, nullable: false, "SCB code of the area: kommun, county, DeSO, district or school."),
            .init("area_name", .text, nullable: false, "Name of the area."),
            .init("area_level", .text, nullable: false, "Level of the area: municipality, county, district, deso, …"),
            .init("period", .text, nullable: false, "The period as text: 2023, 2023-Q1 or 2023-01."),
            .init("period_type", .text, nullable: false, "year, quarter or month."),
            .init(
                "breakdown", .text, nullable: false,
                "Empty for the indicator itself, else the pattern name or comparison."),
            .init(
                "breakdown_value", .text, nullable: false,
                "The pattern value (e.g. 1-22 for Monday 22:00); empty when no breakdown."),
            .init("numerator", .numeric, "The counted events or summed measure; NULL when suppressed or missing."),
            .init("denominator", .numeric, "The denominator (population, respondents); NULL when none."),
            .init(
                "value", .numeric,
                "The indicator's value in its unit (indicators.unit); NULL when suppressed or missing."),
            .init("ci_low", .numeric, "Lower end of the 95 % confidence interval (survey shares)."),
            .init("ci_high", .numeric, "Upper end of the 95 % confidence interval (survey shares)."),
            .init("change_abs", .numeric, "Change of value against the previous period of the series."),
            .init("change_pct", .numeric, "Change of value against the previous period, in %."),
            .init("moving_avg_3", .numeric, "Mean over three consecutive ok periods ending with this one."),
            .init("status", .text, nullable: false, "ok, suppressed or missing."),
            .init("note", .text, "Why a value is suppressed or missing, in plain words."),
            .init(
                "flags", .text, nullable: false, "Comma-separated: jump, series-break, area-changed; empty when none."),
            .init("period_start", .date, "The first day of the period, for time axes."),
        ],
        primaryKey: ["indicator_id", "area_code", "period", "breakdown", "breakdown_value"],
        indexes: [["area_code", "indicator_id"]]
    )

    static let indicators = DeclaredTable(
        name: "indicators",
        comment: "The indicators as the pipeline file defines them; join indicator_values.indicator_id to id.",
        columns: [
            .init("id", .text, nullable: false, "The indicator's id."),
            .init("title", .text, nullable: false, "Title as the report shows it."),
            .init("definition", .text, nullable: false, "What the indicator measures, in plain words."),
            .init("kind", .text, nullable: false, "count, rate, share or value."),
            .init("numerator", .text, nullable: false, "What is counted or summed."),
            .init("denominator", .text, "What the numerator is divided by; NULL when nothing."),
            .init(
                "scale", .numeric, nullable: false, "Multiplier of a rate (e.g. 100000 for per 100 000 inhabitants)."),
            .init("unit", .text, nullable: false, "Unit of indicator_values.value."),
            .init("better", .text, nullable: false, "Which direction of change is better: lower or higher."),
            .init("section", .text, nullable: false, "Report section: crime, safety, schools, county-board."),
        ],
        primaryKey: ["id"]
    )

    /// `followup` as version 1 made it (frozen: migration 1 creates it so).
    static let followupVersion1 = DeclaredTable(
        name: "followup",
        comment: "Follow-up of the targets of the action plan (åtgärdsplan) and citizen promises "
            + "(medborgarlöften): where each indicator stands against the path from baseline to target.",
        columns: [
            .init("indicator_id", .text, nullable: false, "The indicator followed up (indicators.id)."),
            .init("area_code", .text, nullable: false, "SCB code of the area the target is for."),
            .init("commitment", .text, nullable: false, "action-plan or citizen-promise."),
            .init("name", .text, nullable: false, "What the commitment says; may be empty."),
            .init("baseline_year", .integer, nullable: false, "Year of the starting point."),
            .init("baseline_value", .numeric, nullable: false, "Value at the starting point."),
            .init("target_year", .integer, nullable: false, "Year of the target."),
            .init("target_value", .numeric, nullable: false, "Value aimed at in the target year."),
            .init("latest_period", .text, "The latest year with an ok value; NULL when none."),
            .init("latest_value", .numeric, "The value of that year."),
            .init("expected_value", .numeric, "The value expected that year on the line from baseline to target."),
            .init("change_since_baseline", .numeric, "latest_value minus baseline_value."),
            .init("status", .text, nullable: false, "on-track, off-track or not-enough-data."),
            .init("note", .text, "Why the status is not-enough-data."),
        ],
        indexes: [["indicator_id", "area_code"]]
    )

    // MARK: - Version 2

    static let followup = DeclaredTable(
        name: "followup",
        comment: "Follow-up of the targets of the action plan (åtgärdsplan) and citizen promises "
            + "(medborgarlöften): each target judged on every year since its baseline, with the uncertainty "
            + "(Poisson for counts and rates, binomial for shares). status never calls noise progress.",
        columns: [
            .init("target_id", .text, nullable: false, "The target's id in the pipeline file."),
            .init("indicator_id", .text, nullable: false, "The indicator followed up (indicators.id)."),
            .init("area_code", .text, nullable: false, "SCB code of the area the target is for."),
            .init("commitment", .text, nullable: false, "action-plan or citizen-promise."),
            .init("name", .text, nullable: false, "What the commitment says; may be empty."),
            .init("baseline_year", .integer, nullable: false, "Year of the starting point."),
            .init(
                "baseline_value", .numeric,
                "Value at the starting point: the indicator's own value, or a declared one with baseline_source."),
            .init("baseline_source", .text, "Where a declared baseline comes from; NULL when it is the indicator's."),
            .init("computed_baseline", .numeric, "The indicator's own value in the baseline year."),
            .init("target_year", .integer, nullable: false, "Year of the target."),
            .init("target_value", .numeric, nullable: false, "Value aimed at in the target year."),
            .init("latest_period", .text, "The latest year with an ok value after the baseline; NULL when none."),
            .init("latest_value", .numeric, "The value of that year."),
            .init("latest_low", .numeric, "Lower end of that value's 95 % interval."),
            .init("latest_high", .numeric, "Upper end of that value's 95 % interval."),
            .init("expected_value", .numeric, "The value that year on the straight path from baseline to target."),
            .init("change_since_baseline", .numeric, "latest_value minus baseline_value."),
            .init(
                "status", .text, nullable: false,
                "reached, on-the-way, not-on-the-way, too-uncertain (the change is within the noise) or "
                    + "too-little-data."),
            .init("trend_model", .text, "poisson, binomial or linear: how the yearly trend was fitted."),
            .init(
                "annual_change", .numeric,
                "The fitted yearly change: a ratio (poisson), an odds ratio (binomial) or a difference (linear)."),
            .init("annual_change_low", .numeric, "Lower end of its 95 % interval."),
            .init("annual_change_high", .numeric, "Upper end of its 95 % interval."),
            .init("projected_value", .numeric, "The trend projected to the target year."),
            .init("projected_low", .numeric, "Lower end of the projection's 95 % interval."),
            .init("projected_high", .numeric, "Upper end of the projection's 95 % interval."),
            .init("note", .text, "Why the status is what it is, with the numbers."),
            .init("defined_at", .text, nullable: false, "Where the target is declared: file:line:column."),
        ],
        indexes: [["indicator_id", "area_code"]]
    )

    // MARK: - Version 3

    static let planProblems = DeclaredTable(
        name: "plan_problems",
        comment: "The prioritised problems of the action plan (åtgärdsplan), as the plan file says: what the "
            + "lägesbild found, where, why (the cause analysis) and which targets measure progress.",
        columns: [
            .init("id", .text, nullable: false, "The problem's id in the plan file."),
            .init("title", .text, nullable: false, "The problem in words."),
            .init("priority", .integer, nullable: false, "1 is the highest priority."),
            .init("indicators", .text, nullable: false, "Indicator ids that show it, as a JSON array of text."),
            .init("areas", .text, nullable: false, "Area codes where it shows, as a JSON array; [] = the kommun."),
            .init("cause_analysis", .text, "The cause analysis (orsaksanalys) in words."),
            .init("cause_analysis_link", .text, "A link to the cause analysis."),
            .init("targets", .text, nullable: false, "Target ids (followup.target_id), as a JSON array of text."),
        ],
        primaryKey: ["id"]
    )

    static let planMeasures = DeclaredTable(
        name: "plan_measures",
        comment: "The measures (insatser) of the action plan and the citizen promises (medborgarlöften), as the "
            + "plan file says: who owns them, when they run, what they cost and which targets they should move.",
        columns: [
            .init("id", .text, nullable: false, "The measure's id; status reports name it."),
            .init("title", .text, nullable: false, "The measure in words."),
            .init("kind", .text, nullable: false, "measure or citizen-promise."),
            .init("problems", .text, nullable: false, "Problem ids (plan_problems.id), as a JSON array of text."),
            .init("owner", .text, nullable: false, "The organisation that owns it and reports on it."),
            .init("partners", .text, nullable: false, "Taking part: a JSON array (police, schools, …)."),
            .init("start_month", .text, nullable: false, "First month it runs, YYYY-MM."),
            .init("end_month", .text, nullable: false, "Last month it runs, YYYY-MM."),
            .init("hours_per_year", .numeric, "Planned hours per year."),
            .init("cost_sek_per_year", .numeric, "Planned cost per year, in SEK."),
            .init("targets", .text, nullable: false, "Target ids it should move, as a JSON array of text."),
            .init("area_code", .text, "The area it works in (SCB code); NULL for the whole kommun."),
            .init("signed", .text, "For a citizen promise: when it was signed, YYYY-MM-DD."),
        ],
        primaryKey: ["id"]
    )

    static let measureFollowup = DeclaredTable(
        name: "measure_followup",
        comment: "Production and process follow-up of each measure per year, from the owners' status reports: "
            + "planned against delivered outputs, hours and cost, the latest status, and a missing latest report.",
        columns: [
            .init("measure_id", .text, nullable: false, "The measure (plan_measures.id)."),
            .init("year", .integer, nullable: false, "The year."),
            .init("output_name", .text, nullable: false, "The planned output; empty for a measure without outputs."),
            .init(
                "months", .integer, nullable: false,
                "Months of the year the measure runs, up to the end of the latest reported period."),
            .init("planned", .numeric, "Outputs planned: per year × months / 12."),
            .init("delivered", .numeric, "Outputs reported delivered that year; NULL when none was reported."),
            .init("hours_planned", .numeric, "Hours planned: per year × months / 12 (the measure's, on each row)."),
            .init("hours", .numeric, "Hours reported that year (the measure's, on each output row)."),
            .init("cost_planned", .numeric, "Cost planned in SEK: per year × months / 12."),
            .init("cost_sek", .numeric, "Cost reported that year, in SEK."),
            .init("latest_period", .text, "The latest period reported that year: 2023K4, HT2023, …"),
            .init("latest_status", .text, "Its status: ej påbörjad, pågår, genomförd, försenad or avbruten."),
            .init("reports", .integer, nullable: false, "Periods reported on that year."),
            .init(
                "missing_latest_report", .integer, nullable: false,
                "1 when the measure runs in the latest period anyone reported on but has no report for it."),
        ],
        primaryKey: ["measure_id", "year", "output_name"]
    )

    static let measureEffects = DeclaredTable(
        name: "measure_effects",
        comment: "An indication of a measure's effect, never proof: difference in differences of a target "
            + "indicator's counts, the measure's area against the rest of the kommun, from the year before it "
            + "started to the latest year. ratio < 1: the area fell more (or rose less) than the rest.",
        columns: [
            .init("measure_id", .text, nullable: false, "The measure (plan_measures.id)."),
            .init("target_id", .text, nullable: false, "The target whose indicator is compared."),
            .init("indicator_id", .text, nullable: false, "The indicator (indicators.id)."),
            .init("area_code", .text, nullable: false, "The measure's area (SCB code)."),
            .init("comparison", .text, nullable: false, "What the area is compared with, in words."),
            .init("before_year", .integer, nullable: false, "The year before the measure started."),
            .init("after_year", .integer, "The latest year with counts; NULL when there is none yet."),
            .init("area_count_before", .numeric, "The area's count in before_year."),
            .init("area_exposure_before", .numeric, "Its population (1 for a count indicator)."),
            .init("area_count_after", .numeric, "The area's count in after_year."),
            .init("area_exposure_after", .numeric, "Its population (1 for a count indicator)."),
            .init("comparison_count_before", .numeric, "The rest of the kommun's count in before_year."),
            .init("comparison_exposure_before", .numeric, "Its population (1 for a count indicator)."),
            .init("comparison_count_after", .numeric, "The rest of the kommun's count in after_year."),
            .init("comparison_exposure_after", .numeric, "Its population (1 for a count indicator)."),
            .init("ratio", .numeric, "(area after / before) ÷ (rest after / before); NULL when not estimated."),
            .init("ratio_low", .numeric, "Lower end of its 95 % interval."),
            .init("ratio_high", .numeric, "Upper end of its 95 % interval."),
            .init("note", .text, nullable: false, "The result in words, as an indication; or why there is none."),
        ],
        primaryKey: ["measure_id", "indicator_id"]
    )

    static let followupHistory = DeclaredTable(
        name: "followup_history",
        comment: "The follow-up of each target as every publish saw it, so a follow-up can be compared with "
            + "the previous one.",
        columns: [
            .init("run_id", .integer, nullable: false, "The run that published it (lagesbild runs)."),
            .init("published_at", .timestamp, nullable: false, "When it was published."),
            .init("target_id", .text, nullable: false, "The target (followup.target_id)."),
            .init("status", .text, nullable: false, "The judgement then (see followup.status)."),
            .init("latest_period", .text, "The latest year then."),
            .init("latest_value", .numeric, "Its value."),
            .init("projected_value", .numeric, "The trend projected to the target year then."),
        ],
        primaryKey: ["run_id", "target_id"]
    )

    static let deliveries = DeclaredTable(
        name: "deliveries",
        comment: "The delivered files behind the numbers: one row per file, with its checksum and row counts.",
        columns: [
            .init("source_id", .text, nullable: false, "The source in the pipeline file."),
            .init("file_name", .text, nullable: false, "The file's name."),
            .init("sha256", .text, nullable: false, "SHA-256 of the file's content."),
            .init("size", .integer, nullable: false, "Size in bytes."),
            .init("ingested_at", .timestamp, nullable: false, "When lagesbild read the file."),
            .init("encoding", .text, "The character encoding it was read with."),
            .init("rows_read", .integer, nullable: false, "Rows read; = rows_accepted + rows_quarantined."),
            .init("rows_accepted", .integer, nullable: false, "Rows accepted."),
            .init("rows_quarantined", .integer, nullable: false, "Rows rejected into the workspace's quarantine."),
            .init(
                "status", .text, nullable: false,
                "accepted; rejected (more rows quarantined than the source allows: its rows are held back); "
                    + "failed (could not be read to its end)."),
            .init("message", .text, "Why, when it was not accepted as a whole."),
        ],
        indexes: [["source_id"]]
    )

    /// For each indicator, area, period type and breakdown: the row of the latest period.
    static let latestValuesView = """
        CREATE VIEW indicator_values_latest AS
        SELECT DISTINCT ON (v.indicator_id, v.area_code, v.period_type, v.breakdown, v.breakdown_value)
            v.indicator_id, i.title, i.section, i.unit, i.better, v.area_code, v.area_name, v.area_level,
            v.period, v.period_type, v.period_start, v.breakdown, v.breakdown_value, v.numerator, v.denominator,
            v.value, v.ci_low, v.ci_high, v.change_abs, v.change_pct, v.moving_avg_3, v.status, v.note, v.flags
        FROM indicator_values v
        JOIN indicators i ON i.id = v.indicator_id
        ORDER BY v.indicator_id, v.area_code, v.period_type, v.breakdown, v.breakdown_value,
            v.period_start DESC NULLS LAST, v.period DESC
        """
}
