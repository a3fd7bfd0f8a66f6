import Foundation
import Script
import Tensors
import Training

/// `save`, `restore`, `seed`, `time`: the session itself.
enum SessionCommands {
    static func all(session: ShellSession) -> [Builtin] {
        [save(session), restore(session), export(), seed(session), time()]
    }

    static func save(_ session: ShellSession) -> Builtin {
        command("save", group: "session", parameters: [
            CommandParameter("path", .string, default: .null, summary: "a NAME.mtlsession folder (default: where it was last saved or restored from)"),
        ],
        summary: "Saves every variable, the random generator and the transcript.",
        help: """
        The session becomes a folder: manifest.json (variables, objects, generator state, file checksums),
        one .safetensors file per object with tensors (weights, optimizer moments) and transcript.mtls (the
        commands that built it, for reading). It is written next to the target and swapped in at the end,
        so a crash mid-save leaves the previous save intact. Functions (def) are not saved.
        """,
        example: "x = [1, 2, 3]\nsave \"/tmp/mtl-example.mtlsession\"") { call in
            let path = call.has("path") ? expandedPath(try call.string("path")) : nil
            if let path, path.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ScriptError.runtime("save: the path is empty; give a path: save \"NAME.mtlsession\"")
            }
            let result = try session.save(to: path, interpreter: call.interpreter)
            let count = call.interpreter.userVariables.count - result.skipped.count
            var text = "saved \(count) variable\(count == 1 ? "" : "s") to \(result.path)"
            if !result.skipped.isEmpty { text += "\nnot saved: " + result.skipped.joined(separator: "; ") }
            call.interpreter.output(text)
            return .null
        }
    }

    static func restore(_ session: ShellSession) -> Builtin {
        command("restore", group: "session", parameters: [
            CommandParameter("path", .string, summary: "a NAME.mtlsession folder written by save"),
        ],
        summary: "Replaces the session with a saved one (validated completely first).",
        help: """
        Every part of the archive is checked before anything changes: the manifest, the format version,
        each file's presence, size and checksum, paths staying inside the folder, safetensors headers,
        tensor shapes. On any problem the error names it and the current session is untouched.
        Restoring runs no code: the transcript is only for reading.
        """,
        example: "y = 7\nsave \"/tmp/mtl-example-restore.mtlsession\"\ny = 8\nrestore \"/tmp/mtl-example-restore.mtlsession\"\ny") { call in
            let path = expandedPath(try call.string("path"))
            let restored = try session.restore(from: path, interpreter: call.interpreter)
            var text = "restored \(restored.variables.count) variable\(restored.variables.count == 1 ? "" : "s") from \(restored.directory)"
            if restored.directory != path { text += " (the save at \(path) was interrupted; this is the one before it)" }
            call.interpreter.output(text)
            return .null
        }
    }

    static func export() -> Builtin {
        command("export", group: "session", parameters: [
            CommandParameter("model", .object("model"), summary: "the multi-task model"),
            CommandParameter("path", .string, summary: "the folder to write"),
        ],
        summary: "Writes a model as a Hugging Face folder plus its heads; encoder \"DIR\" loads it back.",
        help: """
        The folder holds config.json, model.safetensors (the encoder under Hugging Face names, loadable with
        transformers' AutoModel.from_pretrained), vocab.txt and tokenizer_config.json, then mtl_heads.safetensors
        (projection and heads, PyTorch names) and mtl_model.json (pooling, projection, heads and labels).
        """,
        example: "enc = encoder \"tiny-bert\"\nmodel = multitask enc hidden=8\nexport model \"/tmp/mtl-example-export\"\nagain = encoder \"/tmp/mtl-example-export\"\nagain.tasks") { call in
            let model = try call.object("model", as: ModelObject.self)
            let path = expandedPath(try call.string("path"))
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw ScriptError.runtime("export: \(path) is a file; export writes a folder, so give the path of a new or existing folder")
            }
            try FileError.translating("cannot write", path) {
                try ModelExport.write(model.model, name: model.encoderObject.name, to: path)
            }
            call.interpreter.output("exported to \(path)")
            return .null
        }
    }

    static func seed(_ session: ShellSession) -> Builtin {
        command("seed", group: "session", parameters: [
            CommandParameter("n", .integer, summary: "a whole number ≥ 0"),
        ],
        summary: "Reseeds the session's random generator (initialisation, dropout, shuffling, dummy data).",
        help: "The same seed and the same commands give bit-identical results. The generator's state is saved with the session.",
        example: "seed 42\na = dummy 3\nseed 42\nb = dummy 3\na[0] == b[0]") { call in
            session.generator = SeededGenerator(seed: try seedValue(call, "n"))
            session.markChanged()
            return .null
        }
    }

    static func time() -> Builtin {
        command("time", group: "session", parameters: [
            CommandParameter("f", .oneOf([.callable, .string]), summary: "the function or command to time, or a line of code as a string"),
            CommandParameter("args", .any, variadic: true, summary: "arguments passed to it"),
        ],
        summary: "Runs a function or command and reports how long it took.",
        help: "time f a b calls f(a, b), prints the wall-clock seconds and returns f's result. For a call with keyword arguments, time the line as a string: time \"run = train model data opt epochs=3\".",
        example: "def work() { return len(range(1000)) }\ntime work\ntime len [1, 2, 3]\ntime \"n = len(range(10))\"\nn") { call in
            let arguments = call.rest.map { EvaluatedArgument(value: $0, location: call.location) }
            let start = DispatchTime.now().uptimeNanoseconds
            let result: Value
            if case .string(let source) = call["f"] {
                guard arguments.isEmpty else { throw ScriptError.runtime("time: a line of code takes no further arguments") }
                do {
                    result = try call.interpreter.run(source: source, file: "<time>") ?? .null
                } catch let failure as ScriptFailure where failure.kind != .interrupted {
                    // Report the timed code's error at the `time` line, without a second caret,
                    // but with its place inside the string (line:column of the timed code).
                    guard let first = failure.errors.first else { throw ScriptError.runtime("time: the timed code failed: \(failure)") }
                    let place = first.location.map { " at \($0.line):\($0.column) of the string" } ?? ""
                    throw ScriptError.runtime("time: the timed code failed\(place): \(first.message)")
                }
            } else {
                result = try call.interpreter.call(call["f"], arguments, at: call.location)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            call.interpreter.output("time: \(NumberText.decimal(seconds, 4)) s")
            return result
        }
    }
}
