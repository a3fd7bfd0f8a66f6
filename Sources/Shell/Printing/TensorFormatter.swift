import Tensors

/// Renders tensors the way NumPy and PyTorch print them: shape first, 4 decimals, columns
/// right-aligned to the widest value (so a sign column appears only when a value is negative),
/// and the middle elided when a dimension is long.
///
/// `tensor [256] [ 0.2847 -0.0535  0.0368 … -0.0012  0.0974  0.1421 ]`. Rank 2 and above print a
/// row per line (`[[ … ]\n [ … ]]`), eliding middle rows as NumPy's `edgeitems` does.
public enum TensorFormatter {
    /// Elements kept at each end of a long dimension (NumPy's `edgeitems` is 3).
    public static let edgeItems = 3
    /// Dimensions longer than this are elided (NumPy elides when the total exceeds `threshold`;
    /// a per-dimension limit keeps one line short whatever the rank).
    public static let elideAbove = 8

    /// The full rendering: `tensor [shape] values`.
    public static func describe(_ tensor: Tensor) -> String {
        "tensor \(shapeText(tensor.shape)) " + values(tensor)
    }

    /// `[2, 3]`; a scalar's shape is `[]`.
    public static func shapeText(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    /// The values alone, bracketed per dimension.
    public static func values(_ tensor: Tensor) -> String {
        let flat = tensor.toArray()
        let shape = tensor.shape
        if shape.isEmpty { return flat.first.map { format($0, style: Self.style(for: [$0])) } ?? "[]" }
        if flat.isEmpty { return "[]" }
        let shown = shownValues(flat, shape: shape)
        let style = Self.style(for: shown)
        let width = shown.map { format($0, style: style).count }.max() ?? 0
        var strides = Array(repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        return render(flat, shape: shape, strides: strides, dim: 0, offset: 0, style: style, width: width)
    }

    /// How numbers are written: fixed 4 decimals unless magnitudes call for scientific notation.
    enum Style { case fixed, scientific }

    static func style(for values: [Float]) -> Style {
        let finite = values.filter(\.isFinite).map(abs)
        guard let largest = finite.max() else { return .fixed }
        let smallestNonzero = finite.filter { $0 > 0 }.min() ?? 0
        // NumPy switches to scientific when the range would hide digits: max ≥ 1e8 or the
        // smallest non-zero below 1e-4 (here: with everything else also small).
        if largest >= 1e5 || (smallestNonzero > 0 && largest < 1e-3) { return .scientific }
        return .fixed
    }

    static func format(_ x: Float, style: Style) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        let text: String
        switch style {
        case .fixed: text = fixed(Double(x), decimals: 4)
        case .scientific: text = scientific(Double(x))
        }
        return text
    }

    /// `x` with exactly `decimals` decimals, rounded half away from zero (no Foundation format).
    static func fixed(_ x: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        let negative = x < 0 && scaled != 0
        guard scaled < 9.0e15 else { return "\(x)" }
        let whole = Int64(scaled)
        let integerPart = whole / Int64(scale)
        var fraction = String(whole % Int64(scale))
        while fraction.count < decimals { fraction = "0" + fraction }
        return (negative ? "-" : "") + "\(integerPart)." + fraction
    }

    /// `1.2346e-05` (4 decimals in the mantissa, two-digit exponent at least).
    static func scientific(_ x: Double) -> String {
        guard x != 0 else { return "0.0000e+00" }
        var exponent = Int(floor(log10(abs(x))))
        var mantissa = x / pow(10, Double(exponent))
        if abs((mantissa * 10_000).rounded(.toNearestOrAwayFromZero)) >= 100_000 {
            exponent += 1
            mantissa = x / pow(10, Double(exponent))
        }
        let e = abs(exponent) < 10 ? "0\(abs(exponent))" : "\(abs(exponent))"
        return fixed(mantissa, decimals: 4) + "e" + (exponent < 0 ? "-" : "+") + e
    }

    /// The values that will be printed (for choosing the style and column width).
    private static func shownValues(_ flat: [Float], shape: [Int]) -> [Float] {
        var result: [Float] = []
        var strides = Array(repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        func visit(_ dim: Int, _ offset: Int) {
            for i in shownIndices(shape[dim]) {
                guard let i else { continue }
                if dim == shape.count - 1 { result.append(flat[offset + i]) } else { visit(dim + 1, offset + i * strides[dim]) }
            }
        }
        visit(0, 0)
        return result
    }

    /// Indices printed along a dimension of length `n`; nil marks the elision.
    static func shownIndices(_ n: Int) -> [Int?] {
        guard n > elideAbove else { return Array(0..<n) }
        return Array(0..<edgeItems) + [nil] + Array((n - edgeItems)..<n)
    }

    private static func render(_ flat: [Float], shape: [Int], strides: [Int], dim: Int, offset: Int,
                               style: Style, width: Int) -> String {
        let indices = shownIndices(shape[dim])
        if dim == shape.count - 1 {
            let items = indices.map { i -> String in
                guard let i else { return "…" }
                let text = format(flat[offset + i], style: style)
                return String(repeating: " ", count: max(0, width - text.count)) + text
            }
            // A space before the closing bracket only when the row is elided, as in the design's example.
            return "[" + items.joined(separator: " ") + (indices.contains(where: { $0 == nil }) ? " ]" : "]")
        }
        let indent = String(repeating: " ", count: dim + 1)
        let rows = indices.map { i -> String in
            guard let i else { return "…" }
            return render(flat, shape: shape, strides: strides, dim: dim + 1, offset: offset + i * strides[dim],
                          style: style, width: width)
        }
        let separator = "\n" + String(repeating: "\n", count: shape.count - dim - 2) + indent
        return "[" + rows.joined(separator: separator) + "]"
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
