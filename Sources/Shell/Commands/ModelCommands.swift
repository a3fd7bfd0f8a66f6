import Foundation
import Models
import NN
import Script
import Tensors
import Training

/// `encoder`, `encode`, `multitask`, `predict`, `freeze`, `unfreeze`, `trainable`, `load_weights`.
enum ModelCommands {
    static func all(session: ShellSession) -> [Builtin] {
        [encoder(session), encode(session), multitask(session), predict(session), freeze(session, true), freeze(session, false),
         trainable(), loadWeights(session)]
    }

    /// The encoder of an encoder or model argument.
    static func encoderObject(_ value: Value, command: String) throws -> EncoderObject {
        switch value {
        case .object(let e as EncoderObject): return e
        case .object(let m as ModelObject): return m.encoderObject
        default: throw ScriptError.runtime("\(command): expected an encoder or a model, got \(value.typeName)")
        }
    }

    /// Texts from a string, a list of strings or a dataset.
    static func texts(_ value: Value, command: String) throws -> (texts: [String], single: Bool) {
        switch value {
        case .string(let s): return ([s], true)
        case .list(let items):
            return (try items.map { item in
                guard case .string(let s) = item else { throw ScriptError.runtime("\(command): texts must be strings, got \(item.typeName)") }
                return s
            }, false)
        case .object(let d as DatasetObject): return (d.dataset.texts, false)
        default: throw ScriptError.runtime("\(command): expected a text, a list of texts or a dataset, got \(value.typeName)")
        }
    }

    static func encoder(_ session: ShellSession) -> Builtin {
        command("encoder", group: "model", parameters: [
            CommandParameter("name", .string, summary: "a model name or folder: all-MiniLM-L6-v2, tiny-bert, tiny-distilbert, random:<config>, a checkpoint folder, or a folder written by export"),
            CommandParameter("pooling", .string, default: .null, summary: "mean, cls or max (default: the checkpoint's, else mean)"),
            CommandParameter("dim", .integer, default: .null, summary: "add a Linear(hidden → dim) + tanh projection"),
            CommandParameter("normalize", .bool, default: .bool(false), summary: "L2-normalise the sentence vectors"),
            CommandParameter("max_length", .integer, default: .null, summary: "the longest encoding in tokens (default: the checkpoint's)"),
            CommandParameter("seed", .integer, default: .null, summary: "seeds random weights and dropout (default: drawn from the session generator)"),
        ],
        summary: "Loads a sentence encoder (transformer → pooling → optional projection).",
        help: """
        Names resolve as ModelResolver does: a folder path, all-MiniLM-L6-v2 in the mtl cache, the Hugging Face
        hub cache, the built-in tiny-bert / tiny-distilbert, or random:<config>. A folder written by export (it has
        mtl_model.json) loads back as the multi-task model it was; load_model is another name for this command.
        """,
        example: "enc = encoder \"tiny-bert\" pooling=\"mean\" dim=16\nenc.dim") { call in
            let name = try call.string("name")
            let seed = call.has("seed") ? try seedValue(call, "seed") : session.generator.next()
            session.markChanged()
            let path = expandedPath(name)
            if ModelExport.isExport(path) {
                let model = try ModelExport.load(path, seed: seed)
                let encoder = EncoderObject(model.encoder, name: URL(fileURLWithPath: path).lastPathComponent)
                return .object(ModelObject(model, encoder: encoder))
            }
            var pooling: Pooling?
            if call.has("pooling") {
                let text = try call.string("pooling")
                guard let p = Pooling(rawValue: text) else {
                    throw ScriptError.runtime("encoder: pooling must be one of \(Pooling.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
                }
                pooling = p
            }
            let options = SentenceEncoder.Options(
                pooling: pooling, projectionDimension: call.has("dim") ? try call.integer("dim") : nil,
                normalize: try call.bool("normalize"), seed: seed,
                maxLength: call.has("max_length") ? try call.integer("max_length") : nil)
            let loaded = try SentenceEncoder.load(FileManager.default.fileExists(atPath: path) ? path : name, options: options)
            if let maxLength = options.maxLength { try loaded.config.validate(maxLength: maxLength, source: name) }
            return .object(EncoderObject(loaded, name: name))
        }
    }

    static func encode(_ session: ShellSession) -> Builtin {
        command("encode", group: "model", parameters: [
            CommandParameter("encoder", .any, summary: "an encoder (or a model: its encoder)"),
            CommandParameter("texts", .any, summary: "a text, a list of texts or a dataset"),
            CommandParameter("batch", .integer, default: .number(32), summary: "texts per forward pass"),
        ],
        summary: "Sentence vectors: a tensor [dim] for one text, [n, dim] for several.",
        help: "Runs in evaluation mode (no dropout) without recording a graph; texts are batched by length and returned in input order. Ctrl-C stops it between batches.",
        example: "enc = encoder \"tiny-bert\"\ne = encode enc \"Machine learning results depends on data.\"\ne.shape") { call in
            let encoder = try encoderObject(call["encoder"], command: "encode").encoder
            let (texts, single) = try texts(call["texts"], command: "encode")
            let batch = try call.integer("batch")
            guard batch >= 1 else { throw ScriptError.runtime("encode: batch must be ≥ 1, got \(batch)") }
            let vectors = try InterruptibleBatches.map(texts, batchSize: batch, length: { encoder.tokenizer.encode($0).count },
                                                       between: call.checkInterrupt) { try encoder.encode($0, batchSize: batch) }
            session.markChanged()
            if single, let first = vectors.first { return .object(TensorObject(Tensor(first))) }
            return .object(TensorObject(try Tensor(shape: [vectors.count, encoder.dimension], values: vectors.flatMap { $0 })))
        }
    }

    static func multitask(_ session: ShellSession) -> Builtin {
        command("multitask", group: "model", parameters: [
            CommandParameter("encoder", .object("encoder"), summary: "the shared encoder"),
            CommandParameter("heads", .dict, default: .null, summary: "task → list of labels (default: sentence_type and sentiment)"),
            CommandParameter("hidden", .integer, default: .number(256), summary: "hidden size of each head's MLP"),
            CommandParameter("dropout", .number, default: .number(0.1), summary: "dropout between the head's layers"),
            CommandParameter("seed", .integer, default: .null, summary: "seeds the heads (default: drawn from the session generator)"),
        ],
        summary: "A multi-task model: the encoder shared by one classification head per task.",
        help: "Each head is Linear(dim → hidden) → ReLU → Dropout → Linear(hidden → labels). The encoder object is shared, not copied: training the model trains it.",
        example: "enc = encoder \"tiny-bert\"\nmodel = multitask enc heads={topic: [\"a\", \"b\"], mood: [\"sad\", \"glad\"]} hidden=8\nmodel.tasks") { call in
            let encoder = try call.object("encoder", as: EncoderObject.self)
            let hidden = try call.integer("hidden")
            let dropout = try call.number("dropout")
            var specs = TaskSpec.defaults.map { TaskSpec(name: $0.name, labels: $0.labels, hiddenSize: hidden, dropout: dropout) }
            if call.has("heads") {
                specs = try call.dict("heads").entries.map { task, value in
                    guard case .list(let items) = value else {
                        throw ScriptError.runtime("multitask: head '\(task)' needs a list of label names, got \(value.typeName)")
                    }
                    let labels = try items.map { item -> String in
                        guard case .string(let label) = item else {
                            throw ScriptError.runtime("multitask: labels of '\(task)' must be strings, got \(item.typeName)")
                        }
                        return label
                    }
                    return TaskSpec(name: task, labels: labels, hiddenSize: hidden, dropout: dropout)
                }
            }
            let seed = call.has("seed") ? try seedValue(call, "seed") : session.generator.next()
            let model = try MultiTaskModel(encoder: encoder.encoder, tasks: specs, seed: seed)
            session.markChanged()
            return .object(ModelObject(model, encoder: encoder))
        }
    }

    static func predict(_ session: ShellSession) -> Builtin {
        command("predict", group: "model", parameters: [
            CommandParameter("model", .object("model"), summary: "a multi-task model"),
            CommandParameter("texts", .any, summary: "a text or a list of texts"),
            CommandParameter("batch", .integer, default: .number(32), summary: "texts per forward pass"),
        ],
        summary: "Each task's logits and predicted label for texts (probabilities as p.probabilities).",
        example: "enc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=8\npredict model \"Hello, How Are you?\"") { call in
            let model = try call.object("model", as: ModelObject.self).model
            let (texts, _) = try texts(call["texts"], command: "predict")
            let batch = try call.integer("batch")
            guard batch >= 1 else { throw ScriptError.runtime("predict: batch must be ≥ 1, got \(batch)") }
            let tokenizer = model.encoder.tokenizer
            let predictions = try InterruptibleBatches.map(texts, batchSize: batch, length: { tokenizer.encode($0).count },
                                                           between: call.checkInterrupt) { try model.predict($0, batchSize: batch) }
            session.markChanged()
            return .object(PredictionObject(texts: texts, predictions: predictions))
        }
    }

    /// The parameters a freeze target names: a model (all), an encoder (its transformer), an address,
    /// or a model with an address string.
    static func target(_ call: BuiltinCall) throws -> (parameters: [(String, Tensors.Parameter)], label: String) {
        let address: String? = call.has("address") ? try call.string("address") : nil
        switch call["target"] {
        case .object(let model as ModelObject):
            let path = address ?? "all"
            return (try model.model.parameters(at: path), path)
        case .object(let encoder as EncoderObject):
            // `enc` and `model.encoder` (the same object) name the transformer, as the docs'
            // strategies use it; a projection is left alone, and the message says so.
            if let address { return (try EncoderAddress.parameters(of: encoder.encoder, at: address), address) }
            var label = "encoder"
            if let projection = encoder.encoder.projection {
                label += " (the transformer; its projection \(projection.inFeatures)→\(projection.outFeatures) is left as it was: \(call.name) its .projection for that)"
            }
            return (try EncoderAddress.parameters(of: encoder.encoder, at: "encoder"), label)
        case .object(let place as AddressObject):
            guard address == nil else { throw ScriptError.runtime("\(call.name): give either an address like model.encoder.layers[0:3] or a model and an address string, not both") }
            return (try place.parameters(), place.path)
        default:
            throw ScriptError.runtime("\(call.name): expected a model, an encoder or a part of one (model.encoder.layers[0:3]), got \(call["target"].typeName)")
        }
    }

    static func freeze(_ session: ShellSession, _ freezing: Bool) -> Builtin {
        let name = freezing ? "freeze" : "unfreeze"
        return command(name, group: "model", parameters: [
            CommandParameter("target", .any, summary: "a model (everything), an encoder, or a part: model.encoder.layers[0:3], model.heads.sentiment"),
            CommandParameter("address", .string, default: .null, summary: "an address string instead: \"encoder.layers[0:3]\", a name prefix or a glob"),
        ],
        summary: freezing ? "Stops parameters from training (no gradient, no update)." : "Lets frozen parameters train again.",
        help: """
        Targets: \(name) model (all), \(name) model.encoder (the transformer), \(name) model.encoder.embeddings,
        \(name) model.encoder.layers[0:3] (blocks 0–2), \(name) model.projection, \(name) model.heads,
        \(name) model.heads.sentiment; or \(name) model "encoder.*.layer.[0-2].*" (a glob over parameter names).
        A frozen parameter gets no gradient and backward does not descend where nothing needs one.
        """,
        example: "enc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=8\n\(name) model.encoder.embeddings\n\(name) model.encoder.layers[0:1]\n\(name) model \"heads.sentiment\"") { call in
            let (parameters, label) = try target(call)
            for (_, parameter) in parameters where parameter.requiresGrad != !freezing { parameter.requiresGrad = !freezing }
            let count = parameters.reduce(0) { $0 + $1.1.value.elementCount }
            session.markChanged()
            call.interpreter.output("\(freezing ? "froze" : "unfroze") \(label): \(parameters.count) tensors, \(NumberText.count(count)) params")
            return .null
        }
    }

    static func trainable() -> Builtin {
        command("trainable", group: "model", parameters: [
            CommandParameter("model", .object("model"), summary: "a multi-task model"),
        ],
        summary: "Lists parameter groups with their sizes and whether they train.",
        example: "enc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=8\nfreeze model.encoder.layers[0:1]\ntrainable model") { call in
            let summary = try call.object("model", as: ModelObject.self).model.parameterSummary()
            var rows = summary.groups.map { [$0.name, NumberText.count($0.count), $0.state == .trainable ? "yes" : $0.state == .frozen ? "no" : "partly"] }
            rows.append(["total", NumberText.count(summary.total), "\(NumberText.count(summary.trainable)) trainable"])
            call.interpreter.output(TextTable(header: ["group", "params", "trainable"], rows: rows, rightAligned: [1]).rendered())
            return .null
        }
    }

    static func loadWeights(_ session: ShellSession) -> Builtin {
        command("load_weights", group: "model", parameters: [
            CommandParameter("model", .any, summary: "a model or an encoder"),
            CommandParameter("path", .string, summary: "a .safetensors file with the model's parameter names"),
            CommandParameter("strict", .bool, default: .bool(false), summary: "fail on any missing or unexpected tensor"),
        ],
        summary: "Copies weights from a safetensors file into a model, by parameter name.",
        help: "Names are the model's (encoder.…, projection.…, heads.<task>.0.…); an encoder checkpoint (Hugging Face names, also with bert. or distilbert. in front, or an export's model.safetensors) loads into encoder.…. A mis-shaped tensor fails the whole load and leaves the model as it was; a file matching nothing is an error. Reports what was loaded, missing and unexpected.",
        example: "enc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=8\nexport model \"/tmp/mtl-example-weights\"\nload_weights model \"/tmp/mtl-example-weights/mtl_heads.safetensors\"") { call in
            let module: any Module
            switch call["model"] {
            case .object(let m as ModelObject): module = m.model
            case .object(let e as EncoderObject): module = e.encoder
            default: throw ScriptError.runtime("load_weights: expected a model or an encoder, got \(call["model"].typeName)")
            }
            let path = expandedPath(try call.string("path"))
            let file = try SafetensorsFile(contentsOf: URL(fileURLWithPath: path))
            let report = try module.loadWeights(from: file, strict: try call.bool("strict"))
            if report.loaded.isEmpty {
                // Nothing matched: say what the file holds and what names the model expects.
                let prefixes = Set(module.namedParameters().map { $0.0.split(separator: ".").first.map(String.init) ?? $0.0 })
                let holds = file.names.isEmpty ? "no tensors" : file.names.prefix(3).joined(separator: ", ") + (file.names.count > 3 ? ", …" : "")
                throw ScriptError.runtime("load_weights: none of the \(file.names.count) tensors of \(path) is one of the model's parameters, so nothing was loaded; the file holds \(holds), the model's names start with \(prefixes.sorted().map { $0 + "." }.joined(separator: ", ")) (an encoder checkpoint's names are matched to encoder.…)")
            }
            session.markChanged()
            var text = "loaded \(report.loaded.count) tensors"
            if !report.missing.isEmpty { text += "; missing \(report.missing.count) (kept as they were): " + report.missing.prefix(5).joined(separator: ", ") + (report.missing.count > 5 ? ", …" : "") }
            if !report.unexpected.isEmpty { text += "; unexpected \(report.unexpected.count) (ignored): " + report.unexpected.prefix(5).joined(separator: ", ") + (report.unexpected.count > 5 ? ", …" : "") }
            call.interpreter.output(text)
            return .null
        }
    }
}
