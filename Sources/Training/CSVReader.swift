/// Splits delimited text (CSV or TSV) into records, remembering the line each record starts on.
///
/// CSV follows RFC 4180: fields may be quoted, a doubled quote inside quotes is one quote, and
/// quoted fields may hold delimiters and newlines. TSV has no quoting: a tab always separates
/// and a newline always ends the record. Completely empty lines are skipped. A record that
/// breaks the rules (text after a closing quote, a quote never closed) is still returned, with
/// `problem` saying what is wrong, so the caller can report it with its line.
struct CSVReader {
    /// One record: the 1-based line it starts on, its fields, and what is wrong with it, if anything.
    struct Record: Equatable {
        var line: Int
        var fields: [String]
        var problem: String?
    }

    let delimiter: Unicode.Scalar
    let quoting: Bool

    /// A reader for comma-separated values with RFC 4180 quoting.
    static let csv = CSVReader(delimiter: ",", quoting: true)
    /// A reader for tab-separated values (no quoting).
    static let tsv = CSVReader(delimiter: "\t", quoting: false)

    /// All records of `text`, in order.
    func records(_ text: String) -> [Record] {
        let scalars = Array(text.unicodeScalars)
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var afterClosingQuote = false
        var recordHadQuotes = false   // a line of just "" is one empty field, not a blank line
        var problem: String?
        var i = scalars.startIndex
        // A UTF-8 byte order mark is not part of the first header name.
        if i < scalars.endIndex, scalars[i] == "\u{FEFF}" { i += 1 }

        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            afterClosingQuote = false
        }
        func endRecord() {
            let blank = fields.count == 1 && fields[0].isEmpty && !recordHadQuotes && problem == nil
            if !blank { records.append(Record(line: recordLine, fields: fields, problem: problem)) }
            fields = []
            problem = nil
            recordHadQuotes = false
        }

        while i < scalars.endIndex {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.endIndex, scalars[i + 1] == "\"" {
                        field.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
            } else if c == delimiter {
                endField()
            } else if c == "\n" || c == "\r" {
                if c == "\r", i + 1 < scalars.endIndex, scalars[i + 1] == "\n" { i += 1 }
                endField()
                endRecord()
                line += 1
                recordLine = line
            } else if quoting && c == "\"" && field.isEmpty && !afterClosingQuote {
                inQuotes = true
                recordHadQuotes = true
            } else {
                if afterClosingQuote && problem == nil {
                    problem = "unexpected text after a closing quote (write a quote inside a quoted field as \"\")"
                }
                field.append(c)
            }
            i += 1
        }
        if inQuotes && problem == nil {
            problem = "a quoted field is never closed (missing \")"
        }
        if !fields.isEmpty || !field.isEmpty || recordHadQuotes || problem != nil {
            endField()
            endRecord()
        }
        return records
    }

    /// One record as a line of this format: CSV quotes a field holding a quote, comma or
    /// newline (or leading/trailing space); TSV replaces tabs and newlines by spaces.
    func line(_ fields: [String]) -> String {
        fields.map { field -> String in
            if quoting {
                let needsQuotes = field.unicodeScalars.contains {
                    $0 == "\"" || $0 == delimiter || $0 == "\n" || $0 == "\r"
                } || field.first == " " || field.last == " "
                return needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }
            return String(String.UnicodeScalarView(field.unicodeScalars.map {
                ($0 == delimiter || $0 == "\n" || $0 == "\r") ? " " : $0
            }))
        }.joined(separator: String(Character(delimiter)))
    }
}

import Foundation
