/// What a target was promised in: the kommun's action plan (åtgärdsplan) or a citizen promise
/// (medborgarlöfte) signed with the police. The raw values are the pipeline file's and the exports' words;
/// the report shows ``swedishName``.
public enum Commitment: String, Sendable, Hashable, Codable, CaseIterable {
    /// The municipality's action plan (åtgärdsplan).
    case actionPlan = "action-plan"
    /// A citizen promise (medborgarlöfte) signed with the police.
    case citizenPromise = "citizen-promise"

    /// The commitment as the report names it.
    public var swedishName: String {
        switch self {
        case .actionPlan: return "åtgärdsplan"
        case .citizenPromise: return "medborgarlöfte"
        }
    }
}
