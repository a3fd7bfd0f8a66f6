import Foundation
import Script

/// `Parameter` names two types here (Script's and Tensors'); commands mean Script's.
typealias CommandParameter = Script.Parameter

/// Builds a command whose failures read `name: what went wrong`.
///
/// Errors that are not already `ScriptError`s (dataset, tensor, archive errors…) are turned into
/// runtime errors carrying their own message, so the interpreter adds the source location.
func command(_ name: String, group: String, parameters: [CommandParameter], summary: String,
             help: String = "", example: String = "", body: @escaping (BuiltinCall) throws -> Value) -> Builtin {
    Builtin(name: name, group: group, parameters: parameters, summary: summary, help: help, example: example) { call in
        do {
            return try body(call)
        } catch let error as ScriptError {
            throw error
        } catch {
            throw ScriptError.runtime("\(name): \(error)")
        }
    }
}

/// A whole, non-negative seed from a script number.
func seedValue(_ call: BuiltinCall, _ parameter: String) throws -> UInt64 {
    guard let n = call[parameter].exactInteger, n >= 0 else {
        throw ScriptError.runtime("\(call.name): \(parameter) must be a whole number ≥ 0, got \(call[parameter].repr)")
    }
    return UInt64(n)
}

/// The path a command was given, with `~` expanded.
func expandedPath(_ path: String) -> String {
    (path as NSString).expandingTildeInPath
}
