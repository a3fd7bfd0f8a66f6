import Foundation
import Script
import Training
import XCTest
@testable import Shell

/// `plot run "file.svg"` writes Training's loss chart for the run.
final class PlotCommandsTests: XCTestCase {
    func testPlotWritesTheRunsSVG() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("charts/loss.svg").path
        let shell = ShellHarness()
        try shell.run("""
        d = dummy 12 seed=1
        enc = encoder "tiny-bert"
        model = multitask enc hidden=4
        opt = adamw model lr=1e-3
        run = train model d opt steps=3 batch=4
        plot run "\(path)" title="demo"
        """)
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        guard case .object(let run as RunHistoryObject)? = shell.variable("run") else { return XCTFail("no run") }
        XCTAssertEqual(svg, LossPlot.svg(history: run.history, title: "demo"), "the file is Training's chart of this run")
        XCTAssertTrue(shell.takeOutput().hasSuffix("wrote \(path) (3 steps)"))
        XCTAssertThrowsError(try shell.run("plot d \"x.svg\"")) { error in
            XCTAssertTrue("\(error)".contains("argument 'run'") || "\(error)".contains("run"), "\(error)")
        }
    }
}
