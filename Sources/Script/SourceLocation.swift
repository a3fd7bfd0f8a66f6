/// A place in a source text: file name, 1-based line, 1-based column.
///
/// Columns count Unicode scalars (not bytes, not grapheme clusters); the caret printed under
/// an error counts the same way, so the two always agree.
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`.
    public var description: String { "\(file):\(line):\(column)" }
}
