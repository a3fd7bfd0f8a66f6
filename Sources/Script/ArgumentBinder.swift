/// An argument after evaluation: its keyword (if any), value and where it was written.
public struct EvaluatedArgument {
    public var name: String?
    public var value: Value
    public var location: SourceLocation

    public init(name: String? = nil, value: Value, location: SourceLocation) {
        self.name = name
        self.value = value
        self.location = location
    }
}

/// Matches call arguments to parameters, the same way for builtins and `def` functions.
///
/// Positional arguments fill parameters in order (extra ones go to a variadic parameter);
/// keyword arguments fill the parameter of that name. Errors name the function and show its
/// usage: `encode: missing argument 'text'. usage: encode(encoder, text, batch=32)`.
struct ArgumentBinder {
    struct Slot {
        var name: String
        var isRequired: Bool
        var isVariadic: Bool
    }

    let function: String
    let usage: String
    let slots: [Slot]

    func bind(_ arguments: [EvaluatedArgument], at call: SourceLocation) throws
        -> (values: [String: EvaluatedArgument], rest: [EvaluatedArgument]) {
        let variadicIndex = slots.firstIndex(where: \.isVariadic)
        let positionalCount = variadicIndex ?? slots.count
        var values: [String: EvaluatedArgument] = [:]
        var rest: [EvaluatedArgument] = []
        var position = 0
        for argument in arguments {
            if let keyword = argument.name {
                guard let slot = slots.first(where: { $0.name == keyword && !$0.isVariadic }) else {
                    var message = "\(function): unknown argument '\(keyword)'"
                    if let guess = Suggestion.closest(to: keyword, in: slots.map(\.name)) {
                        message += " (did you mean '\(guess)'?)"
                    }
                    throw fail(message, at: argument.location)
                }
                if values[slot.name] != nil {
                    throw fail("\(function): argument '\(keyword)' given twice", at: argument.location)
                }
                values[slot.name] = argument
            } else if position < positionalCount {
                values[slots[position].name] = argument
                position += 1
            } else if variadicIndex != nil {
                rest.append(argument)
            } else {
                let positional = arguments.filter { $0.name == nil }.count
                throw fail("\(function): too many arguments (takes at most \(positionalCount), got \(positional))", at: argument.location)
            }
        }
        for slot in slots where slot.isRequired && values[slot.name] == nil {
            throw fail("\(function): missing argument '\(slot.name)'", at: call)
        }
        return (values, rest)
    }

    func fail(_ message: String, at location: SourceLocation) -> ScriptError {
        ScriptError(.runtime, "\(message). usage: \(usage)", at: location)
    }
}

/// "Did you mean …?" suggestions by edit distance.
enum Suggestion {
    /// The candidate nearest to `word` when it is within a third of its length (at least 1
    /// edit, and fewer edits than the word has characters).
    static func closest(to word: String, in candidates: [String]) -> String? {
        let limit = max(1, word.count / 3)
        var best: (String, Int)?
        for candidate in candidates where candidate != word {
            let d = distance(Array(word), Array(candidate))
            if d <= limit, d < word.count, d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    /// Edit distance counting insertions, deletions, substitutions and swaps of neighbours
    /// (the optimal-string-alignment variant of Damerau–Levenshtein), so `alpah` is 1 from `alpha`.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
