import Foundation

/// The REPL's command history: a bounded list of entries kept across runs in a text file.
///
/// Rules (those of shells people like): blank entries are not kept, an entry equal to the one
/// before it is not kept twice, and beyond `limit` the oldest entries are dropped. A multi-line
/// entry (a `def` typed over several lines) stays one entry: in the file its newlines are written
/// as `\n` and backslashes as `\\`, so every entry is one line of the file.
public struct History: Equatable, Sendable {
    /// The most entries kept; older ones are dropped first.
    public let limit: Int
    /// The entries, oldest first.
    public private(set) var entries: [String]

    /// The size limit used when none is given.
    public static let defaultLimit = 1000

    /// An empty history, or one holding the last `limit` of `entries` (after the same filtering
    /// `add` applies).
    public init(limit: Int = History.defaultLimit, entries: [String] = []) {
        self.limit = max(1, limit)
        self.entries = []
        for entry in entries { add(entry) }
    }

    /// Appends `entry` unless it is blank or repeats the last entry.
    ///
    /// Trailing newlines and spaces are trimmed first, so `x\n` and `x` are the same entry.
    /// - Returns: whether the entry was added.
    @discardableResult
    public mutating func add(_ entry: String) -> Bool {
        let trimmed = History.trimTrailingWhitespace(entry)
        guard !trimmed.allSatisfy(\.isWhitespace) else { return false }
        if let last = entries.last, last == trimmed { return false }
        entries.append(trimmed)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        return true
    }

    // MARK: - File

    /// The history file: `$MTL_HISTORY` when set and not empty, else `~/.mtl_history`.
    public static func defaultFileURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["MTL_HISTORY"], !path.isEmpty {
            return URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".mtl_history")
    }

    /// Reads a history file written by `save(to:)`. A missing file gives an empty history.
    /// - Throws: `HistoryError.unreadable` when the file exists but cannot be read as UTF-8.
    public static func load(from url: URL, limit: Int = History.defaultLimit) throws -> History {
        guard FileManager.default.fileExists(atPath: url.path) else { return History(limit: limit) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw HistoryError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw HistoryError.unreadable(path: url.path, reason: "not valid UTF-8")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        return History(limit: limit, entries: lines.map { decode(String($0)) })
    }

    /// Writes the entries to `url`, one per line, replacing the file atomically.
    /// - Throws: `HistoryError.unwritable` when the file cannot be written.
    public func save(to url: URL) throws {
        let text = entries.map(History.encode).joined(separator: "\n") + (entries.isEmpty ? "" : "\n")
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw HistoryError.unwritable(path: url.path, reason: error.localizedDescription)
        }
    }

    /// One entry as one line of the file: `\` → `\\`, newline → `\n`, carriage return → `\r`.
    static func encode(_ entry: String) -> String {
        var out = ""
        for character in entry {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\r\n": out += "\\r\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// The inverse of `encode`; an unknown escape is kept as written.
    static func decode(_ line: String) -> String {
        var out = ""
        var escaping = false
        for character in line {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "\\": out.append("\\")
                default: out.append("\\"); out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        if escaping { out.append("\\") }
        return out
    }

    private static func trimTrailingWhitespace(_ text: String) -> String {
        var end = text.endIndex
        while end > text.startIndex {
            let before = text.index(before: end)
            guard text[before].isWhitespace else { break }
            end = before
        }
        return String(text[..<end])
    }
}

/// Why the history file could not be used. The REPL reports it once and carries on.
public enum HistoryError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "cannot read history file \(path): \(reason); set MTL_HISTORY to another file"
        case let .unwritable(path, reason):
            return "cannot write history file \(path): \(reason); set MTL_HISTORY to a writable file"
        }
    }
}
