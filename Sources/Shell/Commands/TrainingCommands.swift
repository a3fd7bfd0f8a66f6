import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Models
import NN
import Script
import Tensors
import Training

/// `adamw`, `sgd`, `train`, `evaluate`.
enum TrainingCommands {
    static func all(session: ShellSession) -> [Builtin] {
        [adamw(session), sgd(session), train(session), evaluate(session)]
    }

    static func float(_ call: BuiltinCall, _ name: String) throws -> Float { Float(try call.number(name)) }

    static func adamw(_ session: ShellSession) -> Builtin {
        command("adamw", group: "training", parameters: [
            CommandParameter("model", .object("model"), summary: "the model whose trainable parameters it updates"),
            CommandParameter("lr", .number, default: .number(2e-5), summary: "learning rate"),
            CommandParameter("weight_decay", .number, default: .number(0.01), summary: "decoupled weight decay"),
            CommandParameter("beta1", .number, default: .number(0.9)),
            CommandParameter("beta2", .number, default: .number(0.999)),
            CommandParameter("eps", .number, default: .number(1e-8)),
            CommandParameter("no_decay", .bool, default: .bool(false), summary: "exempt biases and LayerNorm weights from decay (sentence-transformers' choice)"),
        ],
        summary: "An AdamW optimizer for a model (PyTorch's: decoupled weight decay, bias-corrected moments).",
        help: "Its moments and step counts are saved with the session, so training resumes exactly. opt.lr can be changed between runs.",
        example: "enc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=8\nopt = adamw model lr=2e-5 weight_decay=0.01\nopt.lr") { call in
            let model = try call.object("model", as: ModelObject.self)
            let optimizer = try AdamW(learningRate: try float(call, "lr"), beta1: try float(call, "beta1"), beta2: try float(call, "beta2"),
                                      eps: try float(call, "eps"), weightDecay: try float(call, "weight_decay"),
                                      excludeNoDecayParameters: try call.bool("no_decay"))
            session.markChanged()
            return .object(OptimizerObject(optimizer, model: model))
        }
    }

    static func sgd(_ session: ShellSession) -> Builtin {
        command("sgd", group: "training", parameters: [
            CommandParameter("model", .object("model"), summary: "the model whose trainable parameters it updates"),
            CommandParameter("lr", .number, default: .number(0.01), summary: "learning rate"),
            CommandParameter("momentum", .number, default: .number(0)),
            CommandParameter("weight_decay", .number, default: .number(0)),
            CommandParameter("nesterov", .bool, default: .bool(false)),
        ],
        summary: "An SGD optimizer (PyTorch's, with optional momentum and Nesterov).",
        example: "enc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=8\nopt = sgd model lr=0.1 momentum=0.9") { call in
            let model = try call.object("model", as: ModelObject.self)
            let optimizer = try SGD(learningRate: try float(call, "lr"), momentum: try float(call, "momentum"),
                                    weightDecay: try float(call, "weight_decay"), nesterov: try call.bool("nesterov"))
            session.markChanged()
            return .object(OptimizerObject(optimizer, model: model))
        }
    }

    static func train(_ session: ShellSession) -> Builtin {
        command("train", group: "training", parameters: [
            CommandParameter("model", .object("model"), summary: "the multi-task model"),
            CommandParameter("data", .object("dataset"), summary: "labelled training data"),
            CommandParameter("optimizer", .object("optimizer"), summary: "made for this model with adamw or sgd"),
            CommandParameter("epochs", .integer, default: .number(1), summary: "passes over the data"),
            CommandParameter("steps", .integer, default: .null, summary: "exactly this many optimizer steps instead"),
            CommandParameter("batch", .integer, default: .number(16), summary: "examples per step"),
            CommandParameter("eval", .object("dataset"), default: .null, summary: "evaluated after every epoch"),
            CommandParameter("strategy", .string, default: .string("joint"), summary: "joint, round-robin or proportional"),
            CommandParameter("weights", .dict, default: .null, summary: "loss weight per task, e.g. {sentiment: 2}"),
            CommandParameter("clip", .number, default: .null, summary: "clip gradients to this global norm"),
            CommandParameter("schedule", .string, default: .string("constant"), summary: "learning rate: constant, constant_with_warmup, linear or cosine (transformers' formulas)"),
            CommandParameter("warmup", .number, default: .number(0), summary: "warmup: a fraction of the run below 1, or a number of steps"),
            CommandParameter("shuffle", .bool, default: .bool(true), summary: "reshuffle every epoch (from the session generator)"),
            CommandParameter("log", .integer, default: .number(1), summary: "a progress line every this many steps"),
            CommandParameter("into", .object("run"), default: .null, summary: "append to this run instead of making a new one"),
        ],
        summary: "Trains a model on a dataset; prints progress per task and returns the run.",
        help: """
        Every step draws batches and dropout masks from the session's generator, so the same seed gives the same
        losses bit for bit, and a saved session resumes exactly. Ctrl-C stops after the current step and keeps it.
        Returns a run (losses and accuracies per step, evaluations): plot run "loss.svg" draws it.
        """,
        example: "d = dummy 12 seed=1\nenc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=8\nopt = adamw model lr=1e-3\nrun = train model d opt steps=2 batch=4\nrun.losses") { call in
            let modelObject = try call.object("model", as: ModelObject.self)
            let optimizer = try call.object("optimizer", as: OptimizerObject.self)
            guard optimizer.model === modelObject else {
                throw ScriptError.runtime("train: the optimizer was made for another model; make one for this model: opt = adamw model")
            }
            let data = try call.object("data", as: DatasetObject.self).dataset
            let evaluation = call.has("eval") ? try call.object("eval", as: DatasetObject.self).dataset : nil
            let strategyName = try call.string("strategy")
            guard let strategy = MultiTaskStrategy(rawValue: strategyName) else {
                throw ScriptError.runtime("train: strategy must be one of \(MultiTaskStrategy.allCases.map(\.rawValue).joined(separator: ", ")), got '\(strategyName)'")
            }
            var weights: [String: Double] = [:]
            if call.has("weights") {
                for (task, value) in try call.dict("weights").entries {
                    guard case .number(let w) = value else { throw ScriptError.runtime("train: weight of '\(task)' must be a number") }
                    weights[task] = w
                }
            }
            let scheduleName = try call.string("schedule")
            guard let scheduleKind = LRSchedule.Kind(rawValue: scheduleName) else {
                throw ScriptError.runtime("train: schedule must be one of \(LRSchedule.Kind.allCases.map(\.rawValue).joined(separator: ", ")), got '\(scheduleName)'")
            }
            var options = TrainingOptions(
                epochs: try call.integer("epochs"), steps: call.has("steps") ? try call.integer("steps") : nil,
                batchSize: try call.integer("batch"), shuffle: try call.bool("shuffle"), strategy: strategy,
                taskWeights: weights, logInterval: try call.integer("log"),
                clipNorm: call.has("clip") ? Float(try call.number("clip")) : nil)
            options.scheduleShape = try ScheduleShape(kind: scheduleKind, warmup: call.number("warmup"))
            let interpreter = call.interpreter
            let stop = Training.InterruptFlag()
            let lines = LineBuffer { interpreter.output($0) }
            // At a terminal the reporter redraws one bar per epoch in place on standard output;
            // otherwise (scripts piped to files, tests) it writes plain log lines through the interpreter.
            let reporter = isatty(STDOUT_FILENO) != 0 ? ProgressReporter(redraw: true) : ProgressReporter(redraw: false, write: lines.write)
            // A failed step leaves the bar's line open: end it, so the error starts on its own line.
            defer { reporter.finish() }
            session.markChanged()
            let result = try Trainer(options: options).train(
                modelObject.model, on: data, evaluation: evaluation, optimizer: optimizer.optimizer,
                generator: &session.generator, interrupt: stop,
                progress: { event in
                    reporter.handle(event)
                    // Ctrl-C raises the interpreter's flag; the trainer stops before its next step.
                    if interpreter.interrupt.consume() { stop.request() }
                })
            reporter.finish()
            lines.flush()
            let losses = result.history.steps.map(\.totalLoss)
            if let first = losses.first, let last = losses.last {
                interpreter.output("loss \(Sparkline.render(losses, width: 40)) \(NumberText.decimal(first)) → \(NumberText.decimal(last)) (\(losses.count) step\(losses.count == 1 ? "" : "s"))"
                                   + (result.interrupted ? " · interrupted" : ""))
            }
            if call.has("into") {
                let run = try call.object("into", as: RunHistoryObject.self)
                run.append(result.history)
                return .object(run)
            }
            return .object(RunHistoryObject(result.history))
        }
    }

    static func evaluate(_ session: ShellSession) -> Builtin {
        command("evaluate", group: "training", parameters: [
            CommandParameter("model", .object("model"), summary: "the multi-task model"),
            CommandParameter("data", .object("dataset"), summary: "labelled data"),
            CommandParameter("batch", .integer, default: .number(32), summary: "examples per forward pass"),
        ],
        summary: "Per-task loss, accuracy, macro-F1 and confusion matrix on a dataset.",
        help: "Evaluation mode (no dropout), no graph recorded. Each task counts only the examples that have its label. Ctrl-C stops it between batches.",
        example: "d = dummy 8 seed=2\nenc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=8\nresult = evaluate model d\nresult.accuracy") { call in
            let model = try call.object("model", as: ModelObject.self).model
            let data = try call.object("data", as: DatasetObject.self).dataset
            let report = try Evaluator.evaluate(model, on: data, batchSize: try call.integer("batch"), betweenBatches: call.checkInterrupt)
            session.markChanged()
            return .object(EvaluationObject(report))
        }
    }
}
