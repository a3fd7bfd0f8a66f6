import Foundation
import XCTest
@testable import Training

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses XML and records element names, or the parse error.
final class XMLCheck: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var attributes: [[String: String]] = []
    var texts: [String] = []
    var error: Error?

    static func parse(_ text: String) -> XMLCheck {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = check
        if !parser.parse() { check.error = check.error ?? parser.parserError ?? NSError(domain: "xml", code: 1) }
        return check
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(name)
        self.attributes.append(attributes)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }
}

final class PlotTests: XCTestCase {
    func history(steps: Int, tasks: [String] = ["A", "B"], nanAt: Int? = nil) -> RunHistory {
        var h = RunHistory(tasks: tasks)
        for i in 1...max(1, steps) where steps > 0 {
            var losses: [String: Double] = [:]
            var accuracies: [String: Double] = [:]
            for (k, t) in tasks.enumerated() {
                losses[t] = i == nanAt ? .nan : 1.0 / Double(i + k)
                accuracies[t] = min(1, 0.1 * Double(i))
            }
            h.append(StepRecord(step: i, epoch: 1, lr: 1e-3, losses: losses, accuracies: accuracies,
                                totalLoss: losses.values.reduce(0, +), seconds: 0.1))
        }
        return h
    }

    func testSVGIsWellFormedWithTwoPanelsLegendAndTicks() {
        let check = XMLCheck.parse(LossPlot.svg(history: history(steps: 20)))
        XCTAssertNil(check.error)
        XCTAssertEqual(check.elements.first, "svg")
        XCTAssertEqual(check.elements.filter { $0 == "g" }.count, 2)
        // Loss panel: A, B, total; accuracy panel: A, B → 5 curves.
        XCTAssertEqual(check.elements.filter { $0 == "path" }.count, 5)
        let texts = check.texts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        for label in ["loss", "accuracy (%)", "step", "A", "B", "total", "0", "100"] {
            XCTAssertTrue(texts.contains(label), "missing text \(label)")
        }
    }

    func testNoPointsStillGivesAValidDocument() {
        let check = XMLCheck.parse(LossPlot.svg(history: RunHistory(tasks: ["A"])))
        XCTAssertNil(check.error)
        XCTAssertFalse(check.elements.contains("path"))
        XCTAssertTrue(check.texts.contains("no data"))
    }

    func testOnePointIsDrawnAsADot() {
        let check = XMLCheck.parse(LossPlot.svg(history: history(steps: 1, tasks: ["A"])))
        XCTAssertNil(check.error)
        XCTAssertFalse(check.elements.contains("path"))
        // Loss A, total, accuracy A.
        XCTAssertEqual(check.elements.filter { $0 == "circle" }.count, 3)
    }

    func testNaNBreaksTheLineInsteadOfBreakingTheDocument() {
        let svg = LossPlot.svg(history: history(steps: 10, tasks: ["A"], nanAt: 5))
        XCTAssertFalse(svg.lowercased().contains("nan"))
        let check = XMLCheck.parse(svg)
        XCTAssertNil(check.error)
        // Loss A and total each split into steps 1–4 and 6–10; accuracy A is one line.
        XCTAssertEqual(check.elements.filter { $0 == "path" }.count, 5)
    }

    func testTaskNamesAreEscaped() {
        let check = XMLCheck.parse(LossPlot.svg(history: history(steps: 3, tasks: ["a<b & \"c\""]), title: "x < y"))
        XCTAssertNil(check.error)
        XCTAssertTrue(check.texts.joined().contains("a<b & \"c\""))
    }

    func testTicksAreRoundNumbersCoveringTheRange() {
        // step = the smallest of 1, 2, 5, 10 × 10ⁿ that is at least (high − low) / 5.
        XCTAssertEqual(LossPlot.ticks(0, 1), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        XCTAssertEqual(LossPlot.ticks(0, 100), [0, 20, 40, 60, 80, 100])
        // (37 − 1) / 5 = 7.2 → the smallest of 1, 2, 5, 10 (× 10⁰) at least 7.2 is 10.
        XCTAssertEqual(LossPlot.ticks(1, 37), [10, 20, 30])
        XCTAssertEqual(LossPlot.ticks(0.5, 1.1).map(LossPlot.label), ["0.6", "0.8", "1"])
        XCTAssertEqual(LossPlot.ticks(1, 1), [])
    }
}

final class SparklineTests: XCTestCase {
    func testEightLevelsFromLowestToHighest() {
        // (v − 1) / (8 − 1) · 7 = v − 1: one bar per level.
        XCTAssertEqual(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8]), "▁▂▃▄▅▆▇█")
        XCTAssertEqual(Sparkline.render([8, 1]), "█▁")
    }

    func testFlatEmptyAndNonFinite() {
        XCTAssertEqual(Sparkline.render([2, 2, 2]), "▄▄▄")
        XCTAssertEqual(Sparkline.render([]), "")
        XCTAssertEqual(Sparkline.render([0, .nan, 1]), "▁ █")
        XCTAssertEqual(Sparkline.render([.nan, .infinity]), "  ")
    }

    func testLongSeriesAreDownsampledByBucketMeans() {
        // 0…99 into 10 buckets: means 4.5, 14.5, …, 94.5; level = (m − 4.5) / 90 · 7 rounded
        // = 0, 0.78→1, 1.56→2, 2.33→2, 3.11→3, 3.89→4, 4.67→5, 5.44→5, 6.22→6, 7.
        XCTAssertEqual(Sparkline.render((0..<100).map(Double.init), width: 10), "▁▂▃▃▄▅▆▆▇█")
        XCTAssertEqual(Sparkline.render((0..<1000).map { sin(Double($0)) }, width: 40).count, 40)
    }
}
