@testable import Script

/// A compact S-expression rendering of syntax trees, so parser tests can state the tree a
/// line must produce: `f -1` → `(cmd f (- 1))`.
extension Expression {
    var sketch: String {
        switch self {
        case .number(let n, _): return Value.format(n)
        case .string(let s, _): return Value.quote(s)
        case .bool(let b, _): return b ? "true" : "false"
        case .null: return "none"
        case .variable(let name, _): return name
        case .list(let items, _): return "[" + items.map(\.sketch).joined(separator: " ") + "]"
        case .dict(let entries, _): return "{" + entries.map { $0.key.sketch + ":" + $0.value.sketch }.joined(separator: " ") + "}"
        case .unary(let op, let operand, _): return "(\(op.rawValue) \(operand.sketch))"
        case .binary(let l, let op, let r, _): return "(\(op.rawValue) \(l.sketch) \(r.sketch))"
        case .logical(let l, let op, let r, _): return "(\(op.rawValue) \(l.sketch) \(r.sketch))"
        case .call(let callee, let args, let command, _):
            let parts = args.map { ($0.name.map { "\($0)=" } ?? "") + $0.value.sketch }
            return "(\(command ? "cmd" : "call") \(([callee.sketch] + parts).joined(separator: " ")))"
        case .index(let base, let key, _): return "(index \(base.sketch) \(key.sketch))"
        case .slice(let base, let lower, let upper, _):
            return "(slice \(base.sketch) \(lower?.sketch ?? "_") \(upper?.sketch ?? "_"))"
        case .attribute(let base, let name, _): return "(. \(base.sketch) \(name))"
        }
    }
}

extension Statement {
    var sketch: String {
        switch self {
        case .expression(let e, let silent, _): return e.sketch + (silent ? ";" : "")
        case .assign(let target, let value, _): return "(= \(target.sketch) \(value.sketch))"
        case .ifElse(let c, let t, let o, _):
            return "(if \(c.sketch) {\(t.map(\.sketch).joined(separator: " "))}" + (o.map { " else {\($0.map(\.sketch).joined(separator: " "))}" } ?? "") + ")"
        case .forIn(let v, let s, let body, _): return "(for \(v) \(s.sketch) {\(body.map(\.sketch).joined(separator: " "))})"
        case .whileLoop(let c, let body, _): return "(while \(c.sketch) {\(body.map(\.sketch).joined(separator: " "))})"
        case .function(let d, _): return "(def \(d.name) \(d.parameters.map(\.name).joined(separator: ",")))"
        case .returnValue(let e, _): return "(return \(e?.sketch ?? ""))"
        case .breakLoop: return "break"
        case .continueLoop: return "continue"
        }
    }
}

/// The sketch of every statement of `source`, or its first error as `error L:C: message`.
func parseSketch(_ source: String) -> String {
    let (statements, errors) = Parser.parse(source: source)
    if let first = errors.first { return "error \(first.shortDescription)" }
    return statements.map(\.sketch).joined(separator: " | ")
}
