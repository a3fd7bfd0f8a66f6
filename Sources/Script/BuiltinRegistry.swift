import Foundation

/// The commands and functions scripts can call, by name.
///
/// The interpreter starts with the generic builtins (`print`, `len`, `help`…); the Shell
/// registers its ML commands into the same registry, so they get argument checking, `help`
/// and completion without further work.
public final class BuiltinRegistry {
    private var byName: [String: Builtin] = [:]
    private var order: [String] = []
    private var aliasTargets: [String: String] = [:]

    public init() {}

    /// A registry holding the generic builtins of the language.
    public static func standard() -> BuiltinRegistry {
        let registry = BuiltinRegistry()
        for builtin in GenericBuiltins.all { registry.register(builtin) }
        return registry
    }

    /// Adds `builtin`, replacing one of the same name.
    public func register(_ builtin: Builtin) {
        if byName.updateValue(builtin, forKey: builtin.name) == nil { order.append(builtin.name) }
    }

    /// Registers a builtin from its parts (see `Builtin`).
    public func register(_ name: String, group: String = "general", parameters: [Parameter], summary: String,
                         help: String = "", example: String = "", body: @escaping (BuiltinCall) throws -> Value) {
        register(Builtin(name: name, group: group, parameters: parameters, summary: summary,
                         help: help, example: example, body: body))
    }

    /// Makes `alias` another name for the registered builtin `name`.
    public func alias(_ alias: String, for name: String) {
        guard let builtin = byName[name] else { return }
        byName[alias] = builtin
        aliasTargets[alias] = name
    }

    /// The builtin called `name` (or aliased so).
    public func lookup(_ name: String) -> Builtin? { byName[name] }

    /// Every builtin, in registration order (aliases not repeated).
    public var all: [Builtin] { order.compactMap { byName[$0] } }

    /// Every name a script can call, aliases included.
    public var names: [String] { Array(byName.keys).sorted() }

    /// The aliases of `name`.
    public func aliases(of name: String) -> [String] {
        aliasTargets.filter { $0.value == name }.map(\.key).sorted()
    }

    /// The builtins grouped for `help`, groups in order of first registration.
    public var groups: [(group: String, builtins: [Builtin])] {
        var result: [(group: String, builtins: [Builtin])] = []
        for builtin in all {
            if let i = result.firstIndex(where: { $0.group == builtin.group }) {
                result[i].builtins.append(builtin)
            } else {
                result.append((builtin.group, [builtin]))
            }
        }
        return result
    }

    /// The full `help NAME` text.
    public func helpText(for builtin: Builtin) -> String {
        var lines = ["\(builtin.signature)", "  \(builtin.summary)"]
        let aliases = aliases(of: builtin.name)
        if !aliases.isEmpty { lines.append("  aliases: \(aliases.joined(separator: ", "))") }
        if !builtin.parameters.isEmpty {
            lines.append("parameters:")
            let width = builtin.parameters.map(\.signature.count).max() ?? 0
            for p in builtin.parameters {
                var line = "  " + p.signature.padding(toLength: width, withPad: " ", startingAt: 0) + "  (\(p.type.name))"
                if !p.summary.isEmpty { line += "  \(p.summary)" }
                lines.append(line)
            }
        }
        if !builtin.help.isEmpty { lines.append(builtin.help) }
        if !builtin.example.isEmpty {
            lines.append("example:")
            lines.append(contentsOf: builtin.example.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 })
        }
        return lines.joined(separator: "\n")
    }

    /// The `help` listing: groups, then one line per builtin.
    public var helpListing: String {
        var lines: [String] = []
        let width = (all.map(\.name.count).max() ?? 0) + 2
        for (group, builtins) in groups {
            lines.append("\(group):")
            for b in builtins {
                lines.append("  " + b.name.padding(toLength: width, withPad: " ", startingAt: 0) + b.summary)
            }
        }
        lines.append("help NAME shows a command's signature, text and example.")
        return lines.joined(separator: "\n")
    }

    /// A Markdown reference of every builtin (docs/LANGUAGE.md embeds the generic ones; a test
    /// checks that it does, so the docs cannot drift from the registry).
    public var markdownReference: String {
        var out: [String] = []
        for (group, builtins) in groups {
            out.append("### \(group)")
            out.append("")
            for b in builtins {
                out.append("#### `\(b.signature)`")
                out.append("")
                out.append(b.summary)
                if !b.parameters.isEmpty {
                    out.append("")
                    for p in b.parameters {
                        out.append("- `\(p.signature)` (\(p.type.name))" + (p.summary.isEmpty ? "" : ": \(p.summary)"))
                    }
                }
                if !b.help.isEmpty {
                    out.append("")
                    out.append(b.help)
                }
                if !b.example.isEmpty {
                    out.append("")
                    out.append("```")
                    out.append(b.example)
                    out.append("```")
                }
                out.append("")
            }
        }
        return out.joined(separator: "\n")
    }
}
