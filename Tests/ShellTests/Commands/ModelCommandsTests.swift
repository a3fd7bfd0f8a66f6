import Foundation
import Models
import Script
import XCTest
@testable import Shell

/// Model commands on the built-in tiny-bert (offline).
final class ModelCommandsTests: XCTestCase {
    private func shell(_ setup: String = "enc = encoder \"tiny-bert\" dim=8\nmodel = multitask enc hidden=4") throws -> ShellHarness {
        let shell = ShellHarness()
        try shell.run(setup)
        _ = shell.takeOutput()
        return shell
    }

    private func model(_ shell: ShellHarness) throws -> MultiTaskModel {
        guard case .object(let m as ModelObject)? = shell.variable("model") else { throw XCTSkip("no model") }
        return m.model
    }

    func testTheEncoderPrintsItsArchitectureInOneLine() throws {
        let shell = try self.shell()
        guard case .object(let enc as EncoderObject)? = shell.variable("enc") else { return XCTFail("no encoder") }
        let config = enc.encoder.config
        XCTAssertEqual(enc.summary, "encoder tiny-bert (bert, \(config.layers) layers, hidden \(config.hiddenSize)) → mean pooling → Linear \(config.hiddenSize)→8 + tanh · \(NumberText.count(enc.encoder.parameterCount)) params")
    }

    func testEncodeGivesAVectorForATextAndAMatrixForAList() throws {
        let shell = try self.shell()
        XCTAssertEqual(try shell.value("encode(enc, \"hello\").shape"), .list([.number(8)]))
        XCTAssertEqual(try shell.value("encode(enc, [\"a\", \"b c\", \"d\"]).shape"), .list([.number(3), .number(8)]))
        // The same text encodes the same alone and in a batch (evaluation mode, no dropout).
        XCTAssertEqual(try shell.value("encode(enc, [\"b c\", \"x\"])[0].values"), try shell.value("encode(enc, \"b c\").values"))
    }

    func testPredictPrintsALinePerTaskWithTheLabel() throws {
        let shell = try self.shell()
        let text = try shell.value("predict model \"Hello, How Are you?\"").repr
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("sentence_type  ["), text)
        XCTAssertTrue(lines[1].hasPrefix("sentiment      ["), text)
        let prediction = try model(shell).predict("Hello, How Are you?")
        XCTAssertTrue(lines[1].hasSuffix("]  " + (prediction["sentiment"]?.label ?? "?")), text)
        guard case .list(let probabilities) = try shell.value("predict(model, \"Hello, How Are you?\").probabilities.sentiment") else { return XCTFail("no probabilities") }
        let sum = probabilities.reduce(0.0) { if case .number(let p) = $1 { return $0 + p } else { return $0 } }
        XCTAssertEqual(sum, 1, accuracy: 1e-6)
    }

    func testEachFreezingStrategyIsOneCommand() throws {
        func trainable(_ commands: String) throws -> Set<String> {
            let shell = try self.shell()
            try shell.run(commands)
            return Set(try model(shell).trainableParameterNames)
        }
        let all = Set(try model(try shell()).namedParameters().map(\.0))
        XCTAssertEqual(try trainable("freeze model"), [])
        XCTAssertEqual(try trainable("freeze model.encoder"), all.filter { !$0.hasPrefix("encoder.") })
        XCTAssertEqual(try trainable("freeze model.heads.sentiment"), all.filter { !$0.hasPrefix("heads.sentiment.") })
        let lower = try trainable("freeze model.encoder.embeddings; freeze model.encoder.layers[0:1]")
        XCTAssertEqual(lower, all.filter { !$0.hasPrefix("encoder.embeddings.") && !$0.hasPrefix("encoder.encoder.layer.0.") })
        XCTAssertEqual(try trainable("freeze model \"encoder.layers[0:1]\""), all.filter { !$0.hasPrefix("encoder.encoder.layer.0.") },
                       "the string form names the same part")
        XCTAssertEqual(try trainable("freeze enc.layers[0:1]"), all.filter { !$0.hasPrefix("encoder.encoder.layer.0.") },
                       "the encoder's own address reaches the shared parameters")
        XCTAssertEqual(try trainable("freeze model; unfreeze model.heads"), all.filter { $0.hasPrefix("heads.") })
        XCTAssertEqual(try trainable("freeze enc"), all.filter { !$0.hasPrefix("encoder.") }, "enc is model.encoder")
    }

    func testFreezingAnEncoderSaysItsProjectionStillTrains() throws {
        let shell = try self.shell()
        try shell.run("freeze enc")
        XCTAssertTrue(shell.takeOutput().hasPrefix("froze encoder (the transformer; its projection 32→8 is left as it was: freeze its .projection for that): "))
        let plain = try self.shell("bare = encoder \"tiny-bert\"")
        try plain.run("freeze bare")
        XCTAssertTrue(plain.takeOutput().hasPrefix("froze encoder: "))
    }

    func testHugeLogitsPrintInScientificNotation() {
        // A diverged model's logits: 2 decimals would print 1.0030415968517529e+30 raw.
        let line = PredictionObject.lines([TaskPrediction(task: "t", labels: ["a", "b"], logits: [1.0030416e30, -2])])
        XCTAssertEqual(line, "t  [ 1.0030e+30 -2.0000e+00]  a")
        XCTAssertEqual(PredictionObject.lines([TaskPrediction(task: "t", labels: ["a", "b"], logits: [-1, 0.5])]), "t  [-1.00  0.50]  b")
    }

    func testAnUnknownAddressListsTheGroups() throws {
        let shell = try self.shell()
        XCTAssertThrowsError(try shell.run("freeze model.encoder.layer[9]")) { error in
            XCTAssertTrue("\(error)".contains("an encoder has no attribute 'layer' (did you mean 'layers'?)"), "\(error)")
        }
        XCTAssertThrowsError(try shell.run("freeze model.heads.sentimnt")) { error in
            XCTAssertTrue("\(error)".contains("no task 'sentimnt'; tasks: sentence_type, sentiment"), "\(error)")
        }
        XCTAssertThrowsError(try shell.run("freeze model \"encoder.layer[9]\"")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("freeze: 'encoder.layer[9]' matches no parameter; valid groups: all, encoder, encoder.embeddings, encoder.layers[0:2]"), text)
        }
    }

    func testTrainablePrintsTheGroupTable() throws {
        let shell = try self.shell()
        try shell.run("freeze model.encoder.layers[0:1]")
        _ = shell.takeOutput()
        try shell.run("trainable model")
        let table = shell.takeOutput()
        XCTAssertTrue(table.hasPrefix("group"), table)
        XCTAssertTrue(table.contains("encoder.layers[0]") && table.contains("  no"), table)
        XCTAssertTrue(table.contains("heads.sentiment"), table)
    }

    func testTrainReportsPerTaskLinesAndASparkline() throws {
        let shell = try self.shell()
        try shell.run("d = dummy 16 seed=2\nopt = adamw model lr=1e-3\nrun = train model d opt steps=3 batch=8")
        let output = shell.takeOutput().split(separator: "\n")
        XCTAssertEqual(output.filter { $0.hasPrefix("epoch ") }.count, 3)
        XCTAssertTrue(output.first?.contains("Loss A: ") ?? false)
        XCTAssertTrue(output.last?.hasPrefix("loss ") ?? false)
        XCTAssertEqual(try shell.value("run.steps"), .number(3))
        XCTAssertEqual(try shell.value("opt.steps"), .number(3))
    }

    func testTrainingIntoARunContinuesItsCurve() throws {
        let shell = try self.shell()
        try shell.run("d = dummy 16 seed=2\nopt = adamw model lr=1e-3\nrun = train model d opt steps=3 batch=8\nsame = train model d opt steps=2 batch=8 into=run")
        XCTAssertEqual(try shell.value("same == run"), .bool(true), "the same run object is returned")
        XCTAssertEqual(try shell.value("run.steps"), .number(5))
        guard case .list(let steps) = try shell.value("run.history") else { return XCTFail("no history") }
        let numbers = steps.compactMap { step -> Value? in if case .dict(let d) = step { return d["step"] } else { return nil } }
        XCTAssertEqual(numbers, (1...5).map { .number(Double($0)) })
    }

    func testAnOptimizerOfAnotherModelIsRefused() throws {
        let shell = try self.shell()
        try shell.run("other = multitask enc hidden=4\nopt = adamw other\nd = dummy 8 seed=1")
        XCTAssertThrowsError(try shell.run("train model d opt steps=1")) { error in
            XCTAssertTrue("\(error)".contains("the optimizer was made for another model"), "\(error)")
        }
    }

    func testEvaluateReportsAccuracyMacroF1AndConfusionMatrices() throws {
        let shell = try self.shell()
        try shell.run("d = dummy 12 seed=3\nresult = evaluate model d")
        let text = try shell.value("result").repr
        XCTAssertTrue(text.hasPrefix("task           examples"), text)
        XCTAssertTrue(text.contains("sentence_type (rows: true label, columns: predicted)"), text)
        guard case .object(let object as EvaluationObject)? = shell.variable("result") else { return XCTFail("no evaluation") }
        // Accuracy is the confusion matrix's diagonal over its total.
        for r in object.results { XCTAssertEqual(r.accuracy, Double(r.confusion.correct) / Double(r.confusion.total), accuracy: 1e-12) }
    }
}
