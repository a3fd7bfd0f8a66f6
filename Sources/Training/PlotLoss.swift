import Foundation

/// Training curves as a self-contained SVG: loss per task and total (top), accuracy per task (bottom).
///
/// The x axis is the step. Training values are lines; evaluation values are dots of the task's
/// colour. NaN or infinite values break a line rather than bend it; a lone point is drawn as a
/// dot. Task names are XML-escaped, so any name gives well-formed XML.
public enum LossPlot {
    static let width = 760.0
    static let panelHeight = 280.0
    static let margin = (left: 70.0, right: 170.0, top: 36.0, bottom: 44.0)
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// One curve: its name, colour, points (x, y) and whether it is dashed.
    struct Series {
        var name: String
        var color: String
        var points: [(x: Double, y: Double)]
        var dots: [(x: Double, y: Double)] = []
        var dashed = false
    }

    /// The SVG document for `history`.
    public static func svg(history: RunHistory, title: String = "training") -> String {
        let color = { (k: Int) in palette[k % palette.count] }
        var lossSeries: [Series] = history.tasks.enumerated().map { k, task in
            Series(name: task, color: color(k),
                   points: history.steps.compactMap { s in s.losses[task].map { (Double(s.step), $0) } },
                   dots: history.evals.compactMap { e in e.losses[task].map { (Double(e.step), $0) } })
        }
        lossSeries.append(Series(name: "total", color: "#222222",
                                 points: history.steps.map { (Double($0.step), $0.totalLoss) }, dashed: true))
        let accuracySeries: [Series] = history.tasks.enumerated().map { k, task in
            Series(name: task, color: color(k),
                   points: history.steps.compactMap { s in s.accuracies[task].map { (Double(s.step), $0 * 100) } },
                   dots: history.evals.compactMap { e in e.accuracies[task].map { (Double(e.step), $0 * 100) } })
        }
        let allX = (history.steps.map(\.step) + history.evals.map(\.step)).map(Double.init)
        let xRange = range(allX, fallback: (0, 1))
        let lossValues = lossSeries.flatMap { $0.points.map(\.y) + $0.dots.map(\.y) }
        var lossRange = range(lossValues, fallback: (0, 1))
        lossRange.low = min(0, lossRange.low)   // losses read best against zero

        let height = 2 * panelHeight
        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" \
        viewBox="0 0 \(fmt(width)) \(fmt(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <title>\(escape(title))</title>
        <rect x="0" y="0" width="\(fmt(width))" height="\(fmt(height))" fill="white"/>

        """
        svg += panel(title: "loss", series: lossSeries, x: xRange, y: lossRange, top: 0,
                     empty: history.steps.isEmpty && history.evals.isEmpty)
        svg += panel(title: "accuracy (%)", series: accuracySeries, x: xRange, y: (0, 100), top: panelHeight,
                     empty: accuracySeries.allSatisfy { $0.points.isEmpty && $0.dots.isEmpty })
        svg += "</svg>\n"
        return svg
    }

    /// One panel: frame, ticks and grid, curves, legend.
    static func panel(title: String, series: [Series], x: (low: Double, high: Double),
                      y: (low: Double, high: Double), top: Double, empty: Bool) -> String {
        let left = margin.left, right = width - margin.right
        let plotTop = top + margin.top, plotBottom = top + panelHeight - margin.bottom
        func px(_ v: Double) -> Double { left + (v - x.low) / (x.high - x.low) * (right - left) }
        func py(_ v: Double) -> Double { plotBottom - (v - y.low) / (y.high - y.low) * (plotBottom - plotTop) }

        var out = "<g class=\"panel\">\n"
        out += "<text x=\"\(fmt(left))\" y=\"\(fmt(top + 22))\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>\n"
        for tick in ticks(y.low, y.high) {
            out += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(py(tick)))\" x2=\"\(fmt(right))\" y2=\"\(fmt(py(tick)))\" stroke=\"#e5e5e5\"/>\n"
            out += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(py(tick) + 4))\" text-anchor=\"end\">\(label(tick))</text>\n"
        }
        for tick in ticks(x.low, x.high) {
            out += "<line x1=\"\(fmt(px(tick)))\" y1=\"\(fmt(plotBottom))\" x2=\"\(fmt(px(tick)))\" y2=\"\(fmt(plotBottom + 5))\" stroke=\"#333\"/>\n"
            out += "<text x=\"\(fmt(px(tick)))\" y=\"\(fmt(plotBottom + 18))\" text-anchor=\"middle\">\(label(tick))</text>\n"
        }
        out += "<rect x=\"\(fmt(left))\" y=\"\(fmt(plotTop))\" width=\"\(fmt(right - left))\" height=\"\(fmt(plotBottom - plotTop))\" fill=\"none\" stroke=\"#333\"/>\n"
        out += "<text x=\"\(fmt((left + right) / 2))\" y=\"\(fmt(plotBottom + 36))\" text-anchor=\"middle\">step</text>\n"
        if empty {
            out += "<text x=\"\(fmt((left + right) / 2))\" y=\"\(fmt((plotTop + plotBottom) / 2))\" text-anchor=\"middle\" fill=\"#888\">no data</text>\n"
        }
        for s in series {
            var segments: [[(x: Double, y: Double)]] = [[]]
            for p in s.points {
                if p.x.isFinite && p.y.isFinite {
                    segments[segments.count - 1].append((px(p.x), py(p.y)))
                } else if !(segments.last?.isEmpty ?? true) {
                    segments.append([])
                }
            }
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            for segment in segments where !segment.isEmpty {
                if segment.count == 1 {
                    out += "<circle cx=\"\(fmt(segment[0].x))\" cy=\"\(fmt(segment[0].y))\" r=\"3\" fill=\"\(s.color)\"/>\n"
                } else {
                    let d = segment.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(fmt($0.element.x)) \(fmt($0.element.y))" }.joined(separator: " ")
                    out += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.5\"\(dash)/>\n"
                }
            }
            for dot in s.dots where dot.x.isFinite && dot.y.isFinite {
                out += "<circle cx=\"\(fmt(px(dot.x)))\" cy=\"\(fmt(py(dot.y)))\" r=\"4\" fill=\"white\" stroke=\"\(s.color)\" stroke-width=\"2\"/>\n"
            }
        }
        for (k, s) in series.enumerated() {
            let ly = plotTop + 8 + Double(k) * 18
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            out += "<line x1=\"\(fmt(right + 14))\" y1=\"\(fmt(ly))\" x2=\"\(fmt(right + 38))\" y2=\"\(fmt(ly))\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>\n"
            out += "<text x=\"\(fmt(right + 44))\" y=\"\(fmt(ly + 4))\">\(escape(s.name))</text>\n"
        }
        if series.contains(where: { !$0.dots.isEmpty }) {
            let ly = plotTop + 8 + Double(series.count) * 18
            out += "<circle cx=\"\(fmt(right + 26))\" cy=\"\(fmt(ly))\" r=\"4\" fill=\"white\" stroke=\"#555\" stroke-width=\"2\"/>\n"
            out += "<text x=\"\(fmt(right + 44))\" y=\"\(fmt(ly + 4))\">evaluation</text>\n"
        }
        return out + "</g>\n"
    }

    /// The finite extent of `values`, widened when flat; `fallback` when nothing is finite.
    static func range(_ values: [Double], fallback: (Double, Double)) -> (low: Double, high: Double) {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return fallback }
        if high > low { return (low, high) }
        let pad = abs(low) > 0 ? abs(low) * 0.5 : 1
        return (low - pad, high + pad)
    }

    /// Round tick values covering [low, high]: steps of 1, 2 or 5 × 10ⁿ, about five of them.
    static func ticks(_ low: Double, _ high: Double) -> [Double] {
        guard low.isFinite, high.isFinite, high > low else { return [] }
        let raw = (high - low) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var values: [Double] = []
        var k = ceil(low / step - 1e-9)
        while k * step <= high + step * 1e-9, values.count < 50 {
            values.append(k * step)
            k += 1
        }
        return values
    }

    /// A tick label: `0.25`, `100`, `1e-05`.
    static func label(_ value: Double) -> String {
        let cleaned = abs(value) < 1e-12 ? 0 : value
        return String(format: "%g", cleaned)
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    /// `text` safe inside XML character data and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters even when escaped.
                if c.value < 0x20 && c != "\t" && c != "\n" && c != "\r" { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
