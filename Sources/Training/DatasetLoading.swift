import Foundation

/// The file formats a dataset can be read from.
public enum DatasetFormat: String, Codable, Sendable, CaseIterable {
    /// One JSON object per line: `{"text": …, "<task>": "<label>", …}`.
    case jsonl
    /// Comma-separated values with a header row and RFC 4180 quoting.
    case csv
    /// Tab-separated values with a header row, no quoting.
    case tsv

    /// The format a file name's extension names (`.jsonl`/`.ndjson`, `.csv`, `.tsv`/`.tab`), if any.
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "jsonl", "ndjson": self = .jsonl
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        default: return nil
        }
    }
}

/// A dataset read from a file together with the bad rows that were skipped (if asked to skip).
public struct LoadedDataset: Sendable {
    public let dataset: Dataset
    /// Every bad row skipped, in file order (empty unless skipping was asked for).
    public let skipped: [RowProblem]

    /// `skipped 3 bad rows` or nil when nothing was skipped, for the shell to print.
    public var skippedSummary: String? {
        skipped.isEmpty ? nil : "\(dataset.name): skipped \(skipped.count) bad row\(skipped.count == 1 ? "" : "s") (first: \(skipped[0]))"
    }
}

extension Dataset {
    /// How many problems a refusal lists before saying "and N more".
    public static let listedProblemLimit = 10

    /// Reads a dataset from a JSONL, CSV or TSV file.
    ///
    /// - Parameters:
    ///   - url: the file; its extension picks the format unless `format` is given.
    ///   - format: the format, overriding the extension.
    ///   - skipBadRows: when false (the default) a file with any bad row is refused, listing the
    ///     first problems with file and line; when true bad rows are left out and returned in
    ///     `skipped`.
    /// - Throws: `DatasetError` (unreadable, unknown format, bad header, bad rows, empty).
    public static func load(_ url: URL, format: DatasetFormat? = nil, skipBadRows: Bool = false) throws -> LoadedDataset {
        let file = url.lastPathComponent
        guard let format = format ?? DatasetFormat(fileExtension: url.pathExtension) else {
            throw DatasetError.unknownFormat(file: file)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DatasetError.unreadable(file: file, reason: FileErrorText.reason(error, path: url.path))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DatasetError.unreadable(file: file, reason: "it is not UTF-8 text")
        }
        return try parse(text, format: format, file: file, skipBadRows: skipBadRows)
    }

    /// Reads a dataset from text already in memory; `file` names it in messages.
    public static func parse(_ text: String, format: DatasetFormat, file: String, skipBadRows: Bool = false) throws -> LoadedDataset {
        let (examples, tasks, problems): ([Example], [String], [RowProblem])
        switch format {
        case .jsonl: (examples, tasks, problems) = parseJSONL(text, file: file)
        case .csv: (examples, tasks, problems) = try parseTable(text, reader: .csv, file: file)
        case .tsv: (examples, tasks, problems) = try parseTable(text, reader: .tsv, file: file)
        }
        if !problems.isEmpty && !skipBadRows {
            throw DatasetError.badRows(file: file, problems: Array(problems.prefix(listedProblemLimit)),
                                       total: problems.count)
        }
        if examples.isEmpty { throw DatasetError.empty(file: file) }
        return LoadedDataset(dataset: Dataset(examples: examples, tasks: tasks, name: file), skipped: problems)
    }

    // MARK: - CSV / TSV

    private static func parseTable(_ text: String, reader: CSVReader, file: String) throws
        -> ([Example], [String], [RowProblem]) {
        var records = reader.records(text)
        guard !records.isEmpty else { throw DatasetError.empty(file: file) }
        let headerRecord = records.removeFirst()
        if let problem = headerRecord.problem { throw DatasetError.badHeader(file: file, reason: problem) }
        let header = headerRecord.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let textColumn = header.firstIndex(of: "text") else {
            throw DatasetError.badHeader(file: file, reason: "no 'text' column; the header has \(header.joined(separator: ", ")). Name the sentence column 'text' and each task's column after the task")
        }
        if let empty = header.firstIndex(of: "") {
            throw DatasetError.badHeader(file: file, reason: "column \(empty + 1) has no name")
        }
        var seen: Set<String> = []
        for name in header where !seen.insert(name).inserted {
            throw DatasetError.badHeader(file: file, reason: "column '\(name)' appears twice")
        }
        let tasks = header.enumerated().filter { $0.offset != textColumn }.map(\.element)

        var examples: [Example] = []
        var problems: [RowProblem] = []
        for record in records {
            func bad(_ message: String) { problems.append(RowProblem(file: file, line: record.line, message: message)) }
            if let problem = record.problem { bad(problem); continue }
            guard record.fields.count == header.count else {
                bad("row has \(record.fields.count) field\(record.fields.count == 1 ? "" : "s"), header has \(header.count)")
                continue
            }
            let text = record.fields[textColumn]
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { bad("empty text"); continue }
            var labels: [String: String] = [:]
            for (c, name) in header.enumerated() where c != textColumn {
                let label = record.fields[c].trimmingCharacters(in: .whitespaces)
                if !label.isEmpty { labels[name] = label }   // an empty cell is a missing label
            }
            examples.append(Example(text: text, labels: labels, file: file, line: record.line))
        }
        return (examples, tasks, problems)
    }

    // MARK: - JSONL

    private static func parseJSONL(_ text: String, file: String) -> ([Example], [String], [RowProblem]) {
        var examples: [Example] = []
        var tasks: [String] = []
        var problems: [RowProblem] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if lineNumber == 1, line.first == "\u{FEFF}" { line = line.dropFirst() }
            if line.last == "\r" { line = line.dropLast() }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            func bad(_ message: String) { problems.append(RowProblem(file: file, line: lineNumber, message: message)) }

            let object: [String: Any]
            do {
                guard let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8), options: []) as? [String: Any] else {
                    bad("expected a JSON object like {\"text\": \"…\", \"task\": \"label\"}")
                    continue
                }
                object = parsed
            } catch {
                bad("broken JSON (\(Self.shortJSONError(error)))")
                continue
            }
            guard let value = object["text"] else { bad("no \"text\" key"); continue }
            guard let text = value as? String else { bad("\"text\" is \(jsonKind(value)), expected a string"); continue }
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { bad("empty text"); continue }

            var labels: [String: String] = [:]
            var labelProblem: String?
            // Keys in file order, so tasks keep the order the file gives them.
            for key in JSONKeyOrder.topLevelKeys(String(line)) where key != "text" {
                guard let value = object[key] else { continue }
                if value is NSNull { continue }   // null = missing label
                guard let label = value as? String else {
                    labelProblem = "label \"\(key)\" is \(jsonKind(value)), expected a string"
                    break
                }
                let trimmed = label.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { labels[key] = trimmed }
                if !tasks.contains(key) { tasks.append(key) }
            }
            if let labelProblem { bad(labelProblem); continue }
            examples.append(Example(text: text, labels: labels, file: file, line: lineNumber))
        }
        return (examples, tasks, problems)
    }

    private static func jsonKind(_ value: Any) -> String {
        switch value {
        case is String: return "a string"
        case is NSNull: return "null"
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        case let number as NSNumber:
            return isBoolean(number) ? "a boolean" : "a number"
        default: return "not a string"
        }
    }

    private static func isBoolean(_ number: NSNumber) -> Bool {
        // NSNumber bridges both; Foundation marks JSON booleans with objCType "c" (char).
        String(cString: number.objCType) == "c"
    }

    private static func shortJSONError(_ error: Error) -> String {
        let nsError = error as NSError
        if let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return nsError.localizedDescription
    }
}

/// The keys of a JSON object's top level in the order written (Foundation's dictionaries forget it).
enum JSONKeyOrder {
    /// Scans `json` (already known to parse as an object) and returns its top-level keys in order.
    static func topLevelKeys(_ json: String) -> [String] {
        var keys: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var current = String.UnicodeScalarView()
        var lastString: String?
        for c in json.unicodeScalars {
            if inString {
                if escaped {
                    escaped = false
                    current.append(c)   // raw escape text; decoded below
                } else if c == "\\" {
                    escaped = true
                    current.append(c)
                } else if c == "\"" {
                    inString = false
                    if depth == 1 { lastString = String(current) }
                } else {
                    current.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                inString = true
                current = String.UnicodeScalarView()
            case "{", "[":
                depth += 1
                lastString = nil
            case "}", "]":
                depth -= 1
                lastString = nil
            case ":":
                if depth == 1, let raw = lastString { keys.append(decode(raw)) }
                lastString = nil
            case ",":
                lastString = nil
            default:
                break
            }
        }
        return keys
    }

    /// Decodes a raw JSON string body (escapes included) by letting Foundation parse it.
    private static func decode(_ raw: String) -> String {
        guard raw.contains("\\"),
              let value = try? JSONSerialization.jsonObject(with: Data("\"\(raw)\"".utf8), options: [.fragmentsAllowed]) as? String
        else { return raw }
        return value
    }
}
