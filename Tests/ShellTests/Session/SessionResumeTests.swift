import Foundation
import Models
import NN
import Script
import Tensors
import XCTest
@testable import Shell

/// Saving after k training steps, restoring in a fresh session and training n more gives the
/// same losses, weights, optimizer state and generator, bit for bit, as never stopping.
final class SessionResumeTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try temporaryFolder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// Dropout on (tiny-bert's hidden dropout and the heads' 0.1), part of the encoder frozen,
    /// AdamW with weight decay: everything that carries state across steps is exercised.
    static let setup = """
    seed 1
    d = dummy 24 seed=3
    enc = encoder "tiny-bert" dim=8
    model = multitask enc hidden=8 dropout=0.1
    freeze model.encoder.embeddings
    opt = adamw model lr=1e-2 weight_decay=0.01
    r1 = train model d opt steps=3 batch=8
    """
    static let resume = "r2 = train model d opt steps=4 batch=8"

    func testTrainingResumesBitForBitAfterSaveAndRestore() throws {
        let continuous = ShellHarness()
        try continuous.run(Self.setup)
        try continuous.run(Self.resume)

        let first = ShellHarness()
        try first.run(Self.setup)
        let archive = folder.appendingPathComponent("k.mtlsession").path
        try first.run("save \"\(archive)\"")
        let second = ShellHarness()
        try second.run("restore \"\(archive)\"")
        try second.run(Self.resume)

        let losses = { (shell: ShellHarness) throws -> [UInt64] in
            guard case .list(let values) = try shell.value("r2.losses") else { return [] }
            return values.compactMap { if case .number(let n) = $0 { return n.bitPattern } else { return nil } }
        }
        XCTAssertEqual(try losses(second).count, 4)
        XCTAssertEqual(try losses(second), try losses(continuous), "losses after resuming")

        guard case .object(let a as ModelObject)? = continuous.variable("model"),
              case .object(let b as ModelObject)? = second.variable("model") else { return XCTFail("models missing") }
        let weightsA = a.model.namedParameters(), weightsB = b.model.namedParameters()
        XCTAssertEqual(weightsA.map(\.0), weightsB.map(\.0))
        for ((name, p), (_, q)) in zip(weightsA, weightsB) {
            XCTAssertTrue(p.value.toArray().map(\.bitPattern) == q.value.toArray().map(\.bitPattern), "\(name) differs")
            XCTAssertEqual(p.requiresGrad, q.requiresGrad, "\(name) trainable flag")
        }
        XCTAssertFalse(b.model.parameterSummary().groups[0].trainable > 0, "embeddings stay frozen")

        guard case .object(let optA as OptimizerObject)? = continuous.variable("opt"),
              case .object(let optB as OptimizerObject)? = second.variable("opt") else { return XCTFail("optimizers missing") }
        let stateA = optA.optimizer.exportState(), stateB = optB.optimizer.exportState()
        XCTAssertEqual(stateA.fields, stateB.fields, "hyper-parameters and step counts")
        XCTAssertEqual(stateA.fields.steps.values.max(), 7)
        XCTAssertEqual(stateA.namedTensors.map(\.name), stateB.namedTensors.map(\.name))
        for (x, y) in zip(stateA.namedTensors, stateB.namedTensors) {
            XCTAssertTrue(x.values.map(\.bitPattern) == y.values.map(\.bitPattern), "\(x.name) differs")
        }
        XCTAssertEqual(continuous.context.session.generator, second.context.session.generator)
        XCTAssertTrue(optB.model === b, "the optimizer is restored bound to the restored model")
        XCTAssertTrue(b.encoderObject === (second.variable("enc").flatMap { if case .object(let o) = $0 { return o as? EncoderObject } else { return nil } }),
                      "model.encoder and enc are one object after restore")
    }

    func testMtlRunResumesAcrossProcessesWithRestoreAndSave() throws {
        // The same experiment as above through the built binary: one run of everything versus
        // `mtl run setup --save`, then `mtl run resume --restore` in a second process.
        let setup = folder.appendingPathComponent("setup.mtls"), resume = folder.appendingPathComponent("resume.mtls")
        let full = folder.appendingPathComponent("full.mtls")
        let report = "\nprint(r2.losses)\nprint(opt.steps)\nprint(encode(enc, \"held out text\").values)\n"
        try Self.setup.write(to: setup, atomically: true, encoding: .utf8)
        try (Self.resume + report).write(to: resume, atomically: true, encoding: .utf8)
        try (Self.setup + "\n" + Self.resume + report).write(to: full, atomically: true, encoding: .utf8)
        let archive = folder.appendingPathComponent("k.mtlsession").path
        let lastLines = { (output: String) in output.split(separator: "\n").suffix(3).joined(separator: "\n") }

        let continuous = try runMTL(["run", full.path], timeout: 120)
        XCTAssertEqual(continuous.status, 0, continuous.standardError)
        let first = try runMTL(["run", setup.path, "--save", archive], timeout: 120)
        XCTAssertEqual(first.status, 0, first.standardError)
        let second = try runMTL(["run", resume.path, "--restore", archive], timeout: 120)
        XCTAssertEqual(second.status, 0, second.standardError)
        XCTAssertEqual(lastLines(second.standardOutput), lastLines(continuous.standardOutput),
                       "losses (printed with every digit), step count and an embedding agree")
        XCTAssertTrue(lastLines(second.standardOutput).contains("7"), second.standardOutput)
    }
}
