/// One-line charts from block characters: `▁▂▃▅▇█▆▄`.
public enum Sparkline {
    /// The eight bar heights, lowest first.
    public static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// A sparkline of `values`, at most `width` characters wide.
    ///
    /// Longer series are downsampled by averaging equal consecutive buckets. The lowest value
    /// maps to ▁ and the highest to █ (linear in between); a flat series is all ▄; NaN and
    /// infinite values (or buckets holding only those) are blanks. Empty input gives "".
    public static func render(_ values: [Double], width: Int = 60) -> String {
        let points = downsample(values, to: max(1, width))
        let finite = points.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else {
            return String(repeating: " ", count: points.count)
        }
        return String(points.map { value -> Character in
            guard value.isFinite else { return " " }
            guard high > low else { return bars[3] }
            let level = Int(((value - low) / (high - low) * Double(bars.count - 1)).rounded())
            return bars[min(bars.count - 1, max(0, level))]
        })
    }

    /// `values` reduced to at most `width` points, each the mean of the finite values of its
    /// bucket (NaN when a bucket has none). Bucket `i` covers `[i·n/width, (i+1)·n/width)`.
    static func downsample(_ values: [Double], to width: Int) -> [Double] {
        guard values.count > width else { return values }
        return (0..<width).map { i in
            let bucket = values[(i * values.count / width)..<((i + 1) * values.count / width)].filter(\.isFinite)
            return bucket.isEmpty ? .nan : bucket.reduce(0, +) / Double(bucket.count)
        }
    }
}
