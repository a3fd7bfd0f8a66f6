import NN
import Tensors
import TestSupport
import Training
import XCTest

/// The training loop: it learns, draws batches by strategy, schedules the LR, stops on request
/// or on a non-finite loss, and reports progress.
final class TrainerTests: XCTestCase {
    private func model(dropout: Float = 0) throws -> BagOfWordsModel {
        try BagOfWordsModel(tasks: [TrainerFixtures.kind, TrainerFixtures.sentiment], dropout: dropout)
    }

    func testTrainingDrivesASeparableDatasetToFullAccuracy() throws {
        let data = TrainerFixtures.separable()
        let m = try model()
        let before = try Evaluator.evaluate(m, on: data)
        var rng = SeededGenerator(seed: 7)
        let result = try Trainer(options: TrainingOptions(epochs: 40, batchSize: 4))
            .train(m, on: data, optimizer: AdamW(learningRate: 0.05), generator: &rng)
        XCTAssertEqual(result.history.steps.count, 40 * 4)
        XCTAssertFalse(result.interrupted)
        let after = try Evaluator.evaluate(m, on: data)
        XCTAssertEqual(after["sentiment"]?.accuracy, 1)
        XCTAssertEqual(after["sentence_type"]?.accuracy, 1)
        XCTAssertLessThan(after.totalLoss, before.totalLoss / 4, "the loss fell")
    }

    /// 8 examples; sentence_type labels all, sentiment only examples 0–3; batch 2, no shuffle.
    private func partlyLabelled() -> Dataset {
        let examples = (0..<8).map { i in
            Example(text: "text number \(i)", labels: i < 4 ? ["sentence_type": i % 2 == 0 ? "statement" : "question",
                                                               "sentiment": i % 3 == 0 ? "positive" : "negative"]
                                                             : ["sentence_type": "statement"])
        }
        return Dataset(examples: examples, tasks: ["sentence_type", "sentiment"])
    }

    private func tasksPerStep(_ strategy: MultiTaskStrategy, shuffle: Bool = false, seed: UInt64 = 1) throws -> [[String]] {
        var rng = SeededGenerator(seed: seed)
        let result = try Trainer(options: TrainingOptions(batchSize: 2, shuffle: shuffle, strategy: strategy))
            .train(try model(), on: partlyLabelled(), optimizer: SGD(learningRate: 0.1), generator: &rng)
        return result.history.steps.map { $0.losses.keys.sorted() }
    }

    func testJointBatchesTakeEveryTaskThatHasLabelsInTheBatch() throws {
        // Batches [0,1] [2,3] [4,5] [6,7]: sentiment labels only in the first two.
        XCTAssertEqual(try tasksPerStep(.joint), [["sentence_type", "sentiment"], ["sentence_type", "sentiment"],
                                                   ["sentence_type"], ["sentence_type"]])
    }

    func testRoundRobinAlternatesUntilATaskRunsOut() throws {
        // sentence_type has 4 batches, sentiment 2: A B A B A A.
        XCTAssertEqual(try tasksPerStep(.roundRobin), [["sentence_type"], ["sentiment"], ["sentence_type"], ["sentiment"],
                                                        ["sentence_type"], ["sentence_type"]])
    }

    func testProportionalDrawsTheSamplersTasksOneTaskPerStep() throws {
        // As many steps as both tasks' batches (4 + 2); each step's task is the sampler's draw
        // from the same generator (the model has no dropout, so nothing else draws).
        let steps = try tasksPerStep(.proportional, shuffle: true, seed: 11)
        var rng = SeededGenerator(seed: 11)
        let sampler = try MultiTaskSampler(dataset: partlyLabelled(), strategy: .proportional,
                                           batchPlan: BatchPlan(batchSize: 2, shuffle: true))
        XCTAssertEqual(steps, sampler.epoch(using: &rng).map { [$0.task ?? "?"] })
        XCTAssertEqual(steps.count, 6)
    }

    func testStepsOptionRunsExactlyThatManyStepsAcrossEpochs() throws {
        var rng = SeededGenerator(seed: 1)
        let result = try Trainer(options: TrainingOptions(steps: 10, batchSize: 4))
            .train(try model(), on: TrainerFixtures.separable(), optimizer: AdamW(), generator: &rng)
        XCTAssertEqual(result.history.steps.map(\.step), Array(1...10))
        XCTAssertEqual(result.history.steps.map(\.epoch), [1, 1, 1, 1, 2, 2, 2, 2, 3, 3])
    }

    func testScheduleSetsTheLearningRateOfEveryStepAndTheBaseIsRestored() throws {
        // linear, warmup 2, total 6, base 0.1: multipliers 0, 0.5, 1, 0.75, 0.5, 0.25 (HF's formula).
        var rng = SeededGenerator(seed: 1)
        let optimizer = try AdamW(learningRate: 0.1)
        let result = try Trainer(options: TrainingOptions(steps: 6, batchSize: 4, schedule: .linear(warmupSteps: 2, totalSteps: 6)))
            .train(try model(), on: TrainerFixtures.separable(), optimizer: optimizer, generator: &rng)
        let lrs = result.history.steps.map(\.lr)
        for (lr, expected) in zip(lrs, [0, 0.05, 0.1, 0.075, 0.05, 0.025]) { XCTAssertEqual(lr, expected, accuracy: 1e-7) }
        XCTAssertEqual(optimizer.learningRate, 0.1)
    }

    func testTotalIsTheWeightedSumOfTaskLosses() throws {
        var rng = SeededGenerator(seed: 1)
        let result = try Trainer(options: TrainingOptions(steps: 3, batchSize: 4, taskWeights: ["sentiment": 0.25]))
            .train(try model(), on: TrainerFixtures.separable(), optimizer: AdamW(), generator: &rng)
        for s in result.history.steps {
            let expected = (s.losses["sentence_type"] ?? 0) + 0.25 * (s.losses["sentiment"] ?? 0)
            XCTAssertEqual(s.totalLoss, expected, accuracy: 1e-6)
        }
    }

    func testInterruptAfterStepKReturnsKStepsAndTheWeightsOfStepK() throws {
        let data = TrainerFixtures.separable()
        let flag = InterruptFlag()
        let interrupted = try model()
        var rng = SeededGenerator(seed: 5)
        let result = try Trainer(options: TrainingOptions(epochs: 3, batchSize: 4))
            .train(interrupted, on: data, optimizer: AdamW(learningRate: 0.01), generator: &rng, interrupt: flag) { event in
                if case let .step(p) = event, p.record.step == 3 { flag.request() }
            }
        XCTAssertTrue(result.interrupted)
        XCTAssertEqual(result.history.steps.count, 3)

        let straight = try model()
        var rng2 = SeededGenerator(seed: 5)
        _ = try Trainer(options: TrainingOptions(steps: 3, batchSize: 4))
            .train(straight, on: data, optimizer: AdamW(learningRate: 0.01), generator: &rng2)
        XCTAssertEqual(interrupted.snapshot(), straight.snapshot())
    }

    func testHugeLearningRateStopsBeforeTheBadUpdateNamingStepAndTask() throws {
        // lr 1e30: step 1 makes the weights enormous, so step 2's loss is not finite.
        let data = TrainerFixtures.separable()
        let m = try model()
        var rng = SeededGenerator(seed: 2)
        let trainer = Trainer(options: TrainingOptions(epochs: 1, batchSize: 4, shuffle: false))
        XCTAssertThrowsError(try trainer.train(m, on: data, optimizer: SGD(learningRate: 1e30), generator: &rng)) { error in
            guard case let .nonFiniteLoss(step, task, _)? = error as? TrainingError else {
                return XCTFail("expected a non-finite loss, got \(error)")
            }
            XCTAssertEqual(step, 2)
            XCTAssertEqual(task, "sentence_type")
            XCTAssertTrue("\(error)".contains("step 2"))
        }
        let reference = try model()
        var rng2 = SeededGenerator(seed: 2)
        _ = try Trainer(options: TrainingOptions(steps: 1, batchSize: 4, shuffle: false))
            .train(reference, on: data, optimizer: SGD(learningRate: 1e30), generator: &rng2)
        XCTAssertEqual(m.snapshot(), reference.snapshot(), "weights are those after step 1")
    }

    func testPoisonedInputStopsTheFirstStepWithWeightsUnchanged() throws {
        let data = TrainerFixtures.separable()
        let m = try model()
        m.poison = [data.examples[0].text]
        let initial = m.snapshot()
        let optimizer = try AdamW()
        var rng = SeededGenerator(seed: 2)
        XCTAssertThrowsError(try Trainer(options: TrainingOptions(batchSize: 4, shuffle: false))
            .train(m, on: data, optimizer: optimizer, generator: &rng)) { error in
            XCTAssertEqual((error as? TrainingError).map { if case .nonFiniteLoss(1, "sentence_type", _) = $0 { true } else { false } }, true,
                           "\(error)")
        }
        XCTAssertEqual(m.snapshot(), initial)
        XCTAssertEqual(optimizer.exportState().fields.steps, [:], "the optimizer did not step")
    }

    func testBadLabelsAndOptionsAreRejectedBeforeAnyStep() throws {
        var data = TrainerFixtures.separable()
        data.examples[3].labels["sentiment"] = "meh"
        data.examples[3].file = "train.csv"
        data.examples[3].line = 5
        var rng = SeededGenerator(seed: 1)
        let m = try model()
        XCTAssertThrowsError(try Trainer().train(m, on: data, optimizer: AdamW(), generator: &rng)) { error in
            XCTAssertTrue("\(error)".contains("train.csv:5"), "\(error)")
            XCTAssertTrue("\(error)".contains("meh"))
        }
        XCTAssertThrowsError(try Trainer(options: TrainingOptions(batchSize: 0))
            .train(m, on: TrainerFixtures.separable(), optimizer: AdamW(), generator: &rng))
        XCTAssertThrowsError(try Trainer(options: TrainingOptions(taskWeights: ["topic": 1]))
            .train(m, on: TrainerFixtures.separable(), optimizer: AdamW(), generator: &rng))
        let unrelated = Dataset(examples: [Example(text: "x", labels: ["topic": "a"])])
        XCTAssertThrowsError(try Trainer().train(m, on: unrelated, optimizer: AdamW(), generator: &rng)) { error in
            XCTAssertEqual(error as? TrainingError, .noCommonTask(model: ["sentence_type", "sentiment"], dataset: ["topic"]))
        }
    }

    func testEvaluationAfterEveryEpochIsRecordedAndReported() throws {
        var rng = SeededGenerator(seed: 1)
        var lines: [String] = []
        let reporter = ProgressReporter(redraw: false) { lines.append($0) }
        let data = TrainerFixtures.separable()
        let result = try Trainer(options: TrainingOptions(epochs: 2, batchSize: 8, logInterval: 2))
            .train(try model(), on: data, evaluation: data, optimizer: AdamW(), generator: &rng, progress: reporter.handle)
        XCTAssertEqual(result.history.evals.map(\.epoch), [1, 2])
        XCTAssertEqual(result.history.evals.map(\.step), [2, 4])
        // Every 2nd step logs a plain line; each epoch ends with an eval line.
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines[0].hasPrefix("epoch 1/2 step 2/2  Loss A: "), lines[0])
        XCTAssertTrue(lines[0].contains(", Total: ") && lines[0].contains("Acc B: "), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("eval epoch 1  Loss A: "), lines[1])
    }

    func testTerminalReporterRedrawsOneBarLinePerEpoch() throws {
        var output = ""
        let reporter = ProgressReporter(redraw: true) { output += $0 }
        var rng = SeededGenerator(seed: 1)
        _ = try Trainer(options: TrainingOptions(epochs: 2, batchSize: 8))
            .train(try model(), on: TrainerFixtures.separable(), optimizer: AdamW(), generator: &rng, progress: reporter.handle)
        let lines = output.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, output)
        let last = String(lines[1].split(separator: "\r").last ?? "")
        XCTAssertTrue(last.contains("epoch 2/2 ██████████ 2/2  loss A "), last)
        XCTAssertTrue(last.contains(" total ") && last.contains(" · acc A "), last)
        reporter.finish()
        XCTAssertEqual(output.split(separator: "\n", omittingEmptySubsequences: false).count, 3, "no extra newline after a closed line")

        // Interrupted mid-epoch: the open bar is closed by finish().
        var partial = ""
        let open = ProgressReporter(redraw: true) { partial += $0 }
        let flag = InterruptFlag()
        var rng2 = SeededGenerator(seed: 1)
        _ = try Trainer(options: TrainingOptions(epochs: 1, batchSize: 4))
            .train(try model(), on: TrainerFixtures.separable(), optimizer: AdamW(), generator: &rng2, interrupt: flag) {
                open.handle($0)
                flag.request()
            }
        XCTAssertFalse(partial.hasSuffix("\n"))
        open.finish()
        XCTAssertTrue(partial.hasSuffix("\n"))
        XCTAssertTrue(partial.contains("epoch 1/1 ██░░░░░░░░ 1/4"), partial)
    }
}

/// A model whose loss is finite but whose gradient is not: logits = base + 0·√t with t = 0,
/// and d√t/dt = 1/(2√0) = ∞, times the upstream 0, is NaN.
private final class SqrtTrapModel: MultiTaskTrainable {
    let base = Parameter(name: "heads.sentiment.base", value: Tensor([0.5, -0.5]))
    let trap = Parameter(name: "heads.sentiment.trap", value: Tensor([0, 0]))
    var trainableTasks: [TaskLabels] { [TrainerFixtures.sentiment] }
    var trainingParameters: [Parameter] { [base, trap] }

    func taskLogits(for texts: [String], training: Bool, generator: inout SeededGenerator) throws -> [String: Tensor] {
        let row = try base.value + trap.value.sqrt() * 0
        return ["sentiment": try row.unsqueeze(0).expand([texts.count, 2])]
    }
}

final class NonFiniteGradientTests: XCTestCase {
    func testANonFiniteGradientStopsBeforeTheUpdateNamingStepParameterAndTask() throws {
        let m = SqrtTrapModel()
        var rng = SeededGenerator(seed: 1)
        let data = Dataset(examples: [Example(text: "a", labels: ["sentiment": "positive"])])
        XCTAssertThrowsError(try Trainer().train(m, on: data, optimizer: AdamW(), generator: &rng)) { error in
            XCTAssertEqual(error as? TrainingError, .nonFiniteGradient(step: 1, parameter: "heads.sentiment.trap", task: "sentiment"))
        }
        XCTAssertEqual(m.base.value.toArray(), [0.5, -0.5])
        XCTAssertEqual(m.trap.value.toArray(), [0, 0])
    }
}

final class TrainerScheduleAndFreezingTests: XCTestCase {
    private func model() throws -> BagOfWordsModel {
        try BagOfWordsModel(tasks: [TrainerFixtures.kind, TrainerFixtures.sentiment])
    }

    /// A schedule given by shape is fitted to the run's length: linear with warmup 0.25 over T
    /// steps has w = ⌈0.25·T⌉ warmup steps, multiplier k/w for k < w, then (T−k)/(T−w).
    func testAScheduleShapeIsFittedToTheRunLength() throws {
        var options = TrainingOptions(epochs: 2, batchSize: 4)
        options.scheduleShape = try ScheduleShape(kind: .linear, warmup: 0.25)
        var rng = SeededGenerator(seed: 1)
        let result = try Trainer(options: options)
            .train(try model(), on: TrainerFixtures.separable(), optimizer: AdamW(learningRate: 0.1), generator: &rng)
        let lrs = result.history.steps.map(\.lr)
        let total = lrs.count
        XCTAssertGreaterThan(total, 2)
        let warmup = Int((0.25 * Double(total)).rounded(.up))
        for (k, lr) in lrs.enumerated() {
            let multiplier = k < warmup ? Double(k) / Double(warmup) : Double(total - k) / Double(total - warmup)
            XCTAssertEqual(lr, 0.1 * multiplier, accuracy: 1e-7, "step \(k) of \(total)")
        }
    }

    func testAWarmupLongerThanTheRunIsRefused() throws {
        var options = TrainingOptions(steps: 3, batchSize: 4)
        options.scheduleShape = try ScheduleShape(kind: .cosine, warmup: 10)
        var rng = SeededGenerator(seed: 1)
        XCTAssertThrowsError(try Trainer(options: options)
            .train(try model(), on: TrainerFixtures.separable(), optimizer: AdamW(), generator: &rng)) { error in
            XCTAssertTrue("\(error)".contains("warmup"), "\(error)")
        }
        XCTAssertThrowsError(try ScheduleShape(kind: .linear, warmup: -1))
    }

    func testTrainingAModelWithEveryParameterFrozenIsRefusedClearly() throws {
        let frozen = try model()
        for parameter in frozen.trainingParameters { parameter.requiresGrad = false }
        var rng = SeededGenerator(seed: 1)
        XCTAssertThrowsError(try Trainer(options: TrainingOptions(steps: 2, batchSize: 4))
            .train(frozen, on: TrainerFixtures.separable(), optimizer: AdamW(), generator: &rng)) { error in
            XCTAssertEqual(error as? TrainingError, .nothingTrainable)
            XCTAssertTrue("\(error)".hasPrefix("nothing to train"), "\(error)")
        }
    }
}
