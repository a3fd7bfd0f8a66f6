import Foundation
import Script
import XCTest
@testable import Shell

/// `adamw` and `sgd`: settings shown as typed, bad hyper-parameters refused with their name.
final class OptimizerCommandsTests: XCTestCase {
    private func shell() throws -> ShellHarness {
        let shell = ShellHarness()
        try shell.run("enc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=4")
        return shell
    }

    private func refusal(_ shell: ShellHarness, _ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try shell.run(source)
            XCTFail("\(source) was accepted", file: file, line: line)
            return ""
        } catch {
            return "\(error)"
        }
    }

    func testSettingsReadBackAsTyped() throws {
        // 1e-3 as float32 is 0.0010000000474974513; the user typed 0.001.
        let shell = try shell()
        try shell.run("opt = adamw model lr=1e-3 eps=1e-8")
        XCTAssertEqual(try shell.value("opt.lr"), .number(0.001))
        XCTAssertEqual(try shell.value("opt.settings.beta1"), .number(0.9))
        XCTAssertEqual(try shell.value("opt.settings.eps"), .number(1e-8))
        let summary = try shell.value("opt").repr
        XCTAssertTrue(summary.contains("beta1 0.9,") && summary.contains("beta2 0.999,"), summary)
        try shell.run("opt.lr = 3e-5")
        XCTAssertEqual(try shell.value("opt.lr"), .number(3e-5))
    }

    func testAdamWRefusesBadHyperParametersByName() throws {
        // PyTorch's checks (torch/optim/adamw.py), with eps > 0 rather than ≥ 0.
        let shell = try shell()
        for (argument, name) in [("eps=0", "eps"), ("lr=-1", "lr"), ("beta1=1", "beta1"), ("beta2=-0.1", "beta2"),
                                 ("weight_decay=-0.01", "weight_decay"), ("lr=1e300", "lr")] {
            let message = refusal(shell, "opt = adamw model \(argument)")
            XCTAssertTrue(message.contains("adamw: ") && message.contains(name), "\(argument): \(message)")
        }
    }

    func testSGDRefusesNesterovWithoutMomentum() throws {
        let shell = try shell()
        XCTAssertTrue(refusal(shell, "opt = sgd model nesterov=true").contains("momentum"))
        XCTAssertTrue(refusal(shell, "opt = sgd model momentum=-0.5").contains("momentum"))
        XCTAssertTrue(refusal(shell, "opt = sgd model lr=-1").contains("lr"))
        XCTAssertNoThrow(try shell.run("opt = sgd model momentum=0.9 nesterov=true"))
    }
}
