extension EventColumns {
    /// The metadata key of a normalized events file that says which code list its `crime_code` column
    /// holds: absent for crime codes, ``eventTypesCodeList`` for a source's own event types.
    public static let codeListKey = "code_list"
    /// The value of ``codeListKey`` for the events of a source with `event_types`.
    public static let eventTypesCodeList = "event_types"
}
