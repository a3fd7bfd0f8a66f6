/// Cuts a top-level statement's source text out of the input, for `Interpreter.onTopLevelStatement`.
///
/// Statements know only where they start (line and column, columns in Unicode scalars), so a
/// statement's text runs from its start to the next statement's start (or the end of the
/// input), without surrounding whitespace. Comments between the two stay with the first.
struct StatementSlicer {
    private let scalars: [Unicode.Scalar]
    /// The scalar offset at which each line (1-based line n at index n - 1) starts.
    private let lineStarts: [Int]

    init(source: String) {
        scalars = Array(source.unicodeScalars)
        var starts = [0]
        for (offset, scalar) in scalars.enumerated() where scalar == "\n" { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// The text from `start` up to `end` (exclusive; nil: the end of the input), trimmed.
    func text(from start: SourceLocation, upTo end: SourceLocation?) -> String {
        let lower = offset(of: start)
        let upper = end.map(offset(of:)) ?? scalars.count
        guard lower < upper else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[lower..<upper])
        return String(view).trimmingWhitespace()
    }

    private func offset(of location: SourceLocation) -> Int {
        guard location.line >= 1, location.line <= lineStarts.count else { return scalars.count }
        return min(scalars.count, max(0, lineStarts[location.line - 1] + location.column - 1))
    }
}

extension Statement {
    /// Where the statement starts: its first token.
    var location: SourceLocation {
        switch self {
        case .expression(_, _, let l), .assign(_, _, let l), .ifElse(_, _, _, let l), .forIn(_, _, _, let l),
             .whileLoop(_, _, let l), .function(_, let l), .returnValue(_, let l), .breakLoop(let l),
             .continueLoop(let l):
            return l
        }
    }
}

private extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
