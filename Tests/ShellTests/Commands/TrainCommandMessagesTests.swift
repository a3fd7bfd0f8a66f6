import Foundation
import Script
import XCTest
@testable import Shell

/// What `train` and `save` say in the small cases: one step, a bad evaluation set, an empty path.
final class TrainCommandMessagesTests: XCTestCase {
    private func shell() throws -> ShellHarness {
        let shell = ShellHarness()
        try shell.run("enc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=4\nd = dummy 8 seed=1\nopt = adamw model")
        _ = shell.takeOutput()
        return shell
    }

    func testOneStepIsSingular() throws {
        let shell = try shell()
        try shell.run("r = train model d opt steps=1 batch=4")
        let summary = shell.takeOutput().split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(summary.hasPrefix("loss ") && summary.hasSuffix("(1 step)"), summary)
        try shell.run("r = train model d opt steps=2 batch=4")
        XCTAssertTrue(shell.takeOutput().hasSuffix("(2 steps)"))
    }

    func testAnEvaluationSetWithOtherTasksIsNamedAsSuch() throws {
        let shell = try shell()
        try shell.run("other = dummy 4 tasks={zzz: [\"a\", \"b\"]} seed=2")
        XCTAssertThrowsError(try shell.run("r = train model d opt steps=1 batch=4 eval=other")) { error in
            XCTAssertTrue("\(error)".contains("train: the evaluation dataset (eval=): the dataset's tasks (zzz) are none of the model's"), "\(error)")
        }
    }

    func testSavingToAnEmptyPathAsksForOne() throws {
        let shell = try shell()
        XCTAssertThrowsError(try shell.run("save \"\"")) { error in
            XCTAssertTrue("\(error)".contains("save: the path is empty; give a path: save \"NAME.mtlsession\""), "\(error)")
        }
    }
}
