/// Plain-text tables with aligned columns: text columns left-aligned, numbers right-aligned.
public struct TextTable {
    public var header: [String]
    public var rows: [[String]]
    /// Columns (by index) aligned to the right, typically numbers.
    public var rightAligned: Set<Int>

    public init(header: [String], rows: [[String]], rightAligned: Set<Int> = []) {
        self.header = header
        self.rows = rows
        self.rightAligned = rightAligned
    }

    /// The table as lines joined by newlines, two spaces between columns, no trailing blanks.
    public func rendered() -> String {
        let columns = max(header.count, rows.map(\.count).max() ?? 0)
        var widths = Array(repeating: 0, count: columns)
        for row in [header] + rows {
            for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) }
        }
        func line(_ row: [String]) -> String {
            var cells: [String] = []
            for c in 0..<columns {
                let cell = c < row.count ? row[c] : ""
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                cells.append(rightAligned.contains(c) ? pad + cell : cell + pad)
            }
            var text = cells.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        return ([header] + rows).map(line).joined(separator: "\n")
    }
}

/// Number formatting shared by the printed summaries.
public enum NumberText {
    /// `22.8M`, `5.3M`, `384K`, `912` — parameter counts as the design's summaries show them.
    public static func count(_ n: Int) -> String {
        if n >= 1_000_000 { return TensorFormatter.fixed(Double(n) / 1_000_000, decimals: 1) + "M" }
        if n >= 10_000 { return TensorFormatter.fixed(Double(n) / 1_000, decimals: 1) + "K" }
        return String(n)
    }

    /// `60.0%` from a fraction.
    public static func percent(_ fraction: Double) -> String {
        fraction.isFinite ? TensorFormatter.fixed(fraction * 100, decimals: 1) + "%" : "–"
    }

    /// A loss or metric with `decimals` decimals (`nan` when not finite).
    public static func decimal(_ x: Double, _ decimals: Int = 3) -> String {
        x.isFinite ? TensorFormatter.fixed(x, decimals: decimals) : (x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf"))
    }
}
