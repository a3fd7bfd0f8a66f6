import Script

/// How a failed run is shown: Script's rendering of each error, at most `limit` of them.
///
/// A line of garbage can hold a syntax error per character; rendering each (with its source
/// line and caret) would print megabytes and take minutes, and the first few say it all.
enum ErrorReport {
    static let limit = 20

    static func render(_ error: Error) -> String {
        guard let failure = error as? ScriptFailure else { return "\(error)" }
        let shown = failure.errors.prefix(limit).map(\.description)
        let hidden = failure.errors.count - shown.count
        return (shown + (hidden > 0 ? ["… and \(hidden) more errors"] : [])).joined(separator: "\n")
    }
}
