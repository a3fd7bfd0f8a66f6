import Foundation

/// The builtins every interpreter has, independent of machine learning.
// The builtins are immutable once made and only read to seed registries, so sharing them
// through `nonisolated(unsafe)` statics is safe.
enum GenericBuiltins {
    static var all: [Builtin] {
        [print, len, range, str, abs, min, max, round, assert, type, help, vars, arg, exit, quit]
    }

    nonisolated(unsafe) static let print = Builtin(
        name: "print", parameters: [
            Parameter("values", .any, variadic: true, summary: "what to print"),
            Parameter("sep", .string, default: .string(" "), summary: "put between the values"),
        ],
        summary: "Prints values on one line.",
        help: "Strings print without quotes; other values as they are shown at the prompt.",
        example: "print(\"loss\", 0.25)\nprint \"a\" \"b\" sep=\", \""
    ) { call in
        call.interpreter.output(call.rest.map(\.description).joined(separator: try call.string("sep")))
        return .null
    }

    nonisolated(unsafe) static let len = Builtin(
        name: "len", parameters: [Parameter("value", .any, summary: "a string, list, dict or sized object")],
        summary: "The number of characters, items or entries.",
        example: "len([1, 2, 3])"
    ) { call in
        switch call["value"] {
        case .string(let s): return .number(Double(s.count))
        case .list(let l): return .number(Double(l.count))
        case .dict(let d): return .number(Double(d.count))
        case .object(let o):
            if let count = o.count { return .number(Double(count)) }
            fallthrough
        default:
            throw ScriptError.runtime("len: \(article(call["value"].typeName)) has no length")
        }
    }

    nonisolated(unsafe) static let range = Builtin(
        name: "range", parameters: [
            Parameter("start", .integer, summary: "the first number, or the end when `stop` is omitted"),
            Parameter("stop", .integer, default: .null, summary: "the end (not included)"),
            Parameter("step", .integer, default: .number(1), summary: "the difference between numbers (not 0)"),
        ],
        summary: "A list of whole numbers: range(3) is [0, 1, 2].",
        help: "range(n) counts 0…n-1; range(a, b) counts a…b-1; a negative step counts down.",
        example: "range(3)\nrange(1, 10, 3)"
    ) { call in
        var start = try call.integer("start")
        var stop = 0
        if call.has("stop") {
            stop = try call.integer("stop")
        } else {
            (start, stop) = (0, start)
        }
        let step = try call.integer("step")
        guard step != 0 else { throw ScriptError.runtime("range: step must not be 0") }
        let count = step > 0 ? Swift.max(0, (stop - start + step - 1) / step) : Swift.max(0, (start - stop - step - 1) / -step)
        let limit = call.interpreter.maxCollectionSize
        guard count <= limit else { throw ScriptError.runtime("range: \(count) numbers is too many (the limit is \(limit))") }
        return .list(Swift.stride(from: start, to: stop, by: step).map { .number(Double($0)) })
    }

    nonisolated(unsafe) static let str = Builtin(
        name: "str", parameters: [Parameter("value", .any)],
        summary: "The value as text, as print would show it.",
        example: "str(3) + \" epochs\""
    ) { call in
        .string(call["value"].description)
    }

    nonisolated(unsafe) static let abs = Builtin(
        name: "abs", parameters: [Parameter("x", .number)],
        summary: "The absolute value of a number.",
        example: "abs(-2.5)"
    ) { call in
        .number(Swift.abs(try call.number("x")))
    }

    nonisolated(unsafe) static let min = extremum("min", "The smallest of the values (or of one list).") { $0 < 0 }
    nonisolated(unsafe) static let max = extremum("max", "The largest of the values (or of one list).") { $0 > 0 }

    private static func extremum(_ name: String, _ summary: String, better: @escaping (Int) -> Bool) -> Builtin {
        Builtin(
            name: name, parameters: [Parameter("values", .any, variadic: true, summary: "numbers or strings, or a single list of them")],
            summary: summary,
            example: "\(name)(3, 1, 2)\n\(name)([0.5, 0.25])"
        ) { call in
            var values = call.rest
            if values.count == 1, case .list(let items) = values[0] { values = items }
            guard var best = values.first else { throw ScriptError.runtime("\(name): no values to compare") }
            for value in values.dropFirst() {
                let order: Int
                switch (value, best) {
                case (.number(let a), .number(let b)): order = a < b ? -1 : (a > b ? 1 : 0)
                case (.string(let a), .string(let b)): order = a < b ? -1 : (a > b ? 1 : 0)
                default:
                    throw ScriptError.runtime("\(name): cannot compare \(value.typeName) and \(best.typeName)")
                }
                if better(order) { best = value }
            }
            if case .number = best {} else if case .string = best {} else {
                throw ScriptError.runtime("\(name): values must be numbers or strings, got \(best.typeName)")
            }
            return best
        }
    }

    nonisolated(unsafe) static let round = Builtin(
        name: "round", parameters: [
            Parameter("x", .number),
            Parameter("digits", .integer, default: .number(0), summary: "decimal places to keep (0–15)"),
        ],
        summary: "Rounds a number to some decimal places (halves away from zero).",
        example: "round(2.5)\nround(3.14159, 2)"
    ) { call in
        let x = try call.number("x")
        let digits = try call.integer("digits")
        guard (0...15).contains(digits) else { throw ScriptError.runtime("round: digits must be between 0 and 15, got \(digits)") }
        let scale = pow(10.0, Double(digits))
        let scaled = x * scale
        guard scaled.isFinite else { return .number(x) }
        return .number(scaled.rounded(.toNearestOrAwayFromZero) / scale)
    }

    nonisolated(unsafe) static let assert = Builtin(
        name: "assert", parameters: [
            Parameter("condition", .any, summary: "must be true (truthy)"),
            Parameter("message", .string, default: .null, summary: "said when it is not"),
        ],
        summary: "Stops the script with an error when the condition is false.",
        example: "assert(1 + 1 == 2, \"arithmetic works\")"
    ) { call in
        if !call["condition"].isTruthy {
            let message = call.has("message") ? try call.string("message") : ""
            throw ScriptError.runtime(message.isEmpty ? "assertion failed" : "assertion failed: \(message)")
        }
        return .null
    }

    nonisolated(unsafe) static let type = Builtin(
        name: "type", parameters: [Parameter("value", .any)],
        summary: "The type name of a value: number, string, bool, none, list, dict, function…",
        example: "type([1, 2])"
    ) { call in
        .string(call["value"].typeName)
    }

    nonisolated(unsafe) static let help = Builtin(
        name: "help", parameters: [Parameter("topic", .any, default: .null, summary: "a command, a command name, a function or an object")],
        summary: "Lists the commands, or explains one: help encode.",
        help: "With no argument, lists every command by group. With a command (or its name as a string), shows its signature, summary, help text and example.",
        example: "help len\nhelp(\"range\")"
    ) { call in
        let interpreter = call.interpreter
        let registry = interpreter.registry
        switch call["topic"] {
        case .null:
            interpreter.output(registry.helpListing)
        case .builtin(let builtin):
            interpreter.output(registry.helpText(for: builtin))
        case .string(let name):
            guard let builtin = registry.lookup(name) else {
                var message = "help: no command named '\(name)'"
                if let guess = Suggestion.closest(to: name, in: registry.names) { message += " (did you mean '\(guess)'?)" }
                throw ScriptError.runtime(message)
            }
            interpreter.output(registry.helpText(for: builtin))
        case .function(let function):
            let at = function.declaration.location
            interpreter.output("\(function.signature)\n  a function defined at \(at.file):\(at.line)")
        case .object(let object):
            var text = "\(object.typeName): \(object.helpText)"
            if !object.attributeNames.isEmpty { text += "\nattributes: " + object.attributeNames.joined(separator: ", ") }
            interpreter.output(text)
        case let value:
            interpreter.output("\(article(value.typeName)): \(value.repr)")
        }
        return .null
    }

    nonisolated(unsafe) static let vars = Builtin(
        name: "vars", parameters: [],
        summary: "Lists your variables with their types.",
        example: "x = 1\nvars"
    ) { call in
        let variables = call.interpreter.userVariables
        guard !variables.isEmpty else {
            call.interpreter.output("no variables")
            return .null
        }
        let nameWidth = variables.map(\.name.count).max() ?? 0
        let typeWidth = variables.map(\.value.typeName.count).max() ?? 0
        let lines = variables.map { name, value in
            var shown = value.repr
            if shown.count > 60 { shown = String(shown.prefix(59)) + "…" }
            return name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                + value.typeName.padding(toLength: typeWidth, withPad: " ", startingAt: 0) + "  " + shown
        }
        call.interpreter.output(lines.joined(separator: "\n"))
        return .null
    }

    nonisolated(unsafe) static let arg = Builtin(
        name: "arg", parameters: [
            Parameter("name", .string, summary: "the argument's name on the command line"),
            Parameter("default", .any, default: .null, summary: "used when the argument is not given; its type decides how the text is read"),
        ],
        summary: "A script argument given as `mtl run FILE name=value`, or the default.",
        help: "When the default is a number the value must be a number; when it is a bool, one of true/false/yes/no/1/0; otherwise the value is the text as given.",
        example: "model = arg(\"model\", \"all-MiniLM-L6-v2\")\nepochs = arg(\"epochs\", 3)"
    ) { call in
        let name = try call.string("name")
        let fallback = call["default"]
        guard let text = call.interpreter.scriptArguments[name] else { return fallback }
        switch fallback {
        case .number:
            guard let n = Double(text.trimmingCharacters(in: .whitespaces)), n.isFinite else {
                throw ScriptError.runtime("arg: script argument '\(name)' must be a number, got '\(text)'")
            }
            return .number(n)
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "1": return .bool(true)
            case "false", "no", "0": return .bool(false)
            default: throw ScriptError.runtime("arg: script argument '\(name)' must be true or false, got '\(text)'")
            }
        default:
            return .string(text)
        }
    }

    nonisolated(unsafe) static let exit = stopping(name: "exit")
    nonisolated(unsafe) static let quit = stopping(name: "quit")

    /// `exit` and `quit`: the same builtin under two names (the REPL banner names both).
    private static func stopping(name: String) -> Builtin {
        Builtin(
            name: name, parameters: [
                Parameter("code", .integer, default: .number(0), summary: "the exit status, 0 to 255 (0: success)"),
            ],
            summary: "Stops the script now; `mtl run`, `-e` and standard input exit with `code`.",
            help: "Statements before it have run (and joined the session's transcript). At the prompt it leaves mtl, asking first whether to save unsaved changes.",
            example: "failed = false\nif failed { \(name)(1) }"
        ) { call in
            let code = try call.integer("code")
            guard (0...255).contains(code) else {
                throw ScriptError.runtime("\(name): the exit status must be 0 to 255, got \(code)")
            }
            throw ScriptExit(code: Int32(code))
        }
    }
}
