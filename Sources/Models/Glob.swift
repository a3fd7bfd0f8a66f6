/// Shell-style wildcard matching over parameter names (POSIX `fnmatch` without path rules):
/// `*` any run of characters (dots included), `?` one character, `[0-2]` / `[abc]` / `[!x]` a class.
struct Glob: Sendable {
    private enum Element: Sendable {
        case literal(Character)
        case any
        case anyRun
        case set([ClosedRange<Character>], negated: Bool)
    }

    private let elements: [Element]

    /// True when `text` uses a wildcard (so is a pattern, not a plain address).
    static func isPattern(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// - Throws: `ModelError.invalidArgument` for an unclosed `[`.
    init(_ pattern: String) throws {
        var result: [Element] = []
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            switch chars[i] {
            case "*": result.append(.anyRun)
            case "?": result.append(.any)
            case "[":
                var j = i + 1
                var negated = false
                if j < chars.count, chars[j] == "!" || chars[j] == "^" { negated = true; j += 1 }
                var ranges: [ClosedRange<Character>] = []
                var first = true
                while j < chars.count, chars[j] != "]" || first {
                    first = false
                    if j + 2 < chars.count, chars[j + 1] == "-", chars[j + 2] != "]" {
                        guard chars[j] <= chars[j + 2] else {
                            throw ModelError.invalidArgument("pattern '\(pattern)': range \(chars[j])-\(chars[j + 2]) is reversed")
                        }
                        ranges.append(chars[j]...chars[j + 2])
                        j += 3
                    } else {
                        ranges.append(chars[j]...chars[j])
                        j += 1
                    }
                }
                guard j < chars.count else {
                    throw ModelError.invalidArgument("pattern '\(pattern)': '[' is not closed by ']'")
                }
                result.append(.set(ranges, negated: negated))
                i = j
            default: result.append(.literal(chars[i]))
            }
            i += 1
        }
        elements = result
    }

    /// Whether the whole of `text` matches.
    func matches(_ text: String) -> Bool {
        let chars = Array(text)
        // Iterative matching with backtracking to the last `*` (linear in practice).
        var p = 0, t = 0
        var star: Int?, starText = 0
        while t < chars.count {
            if p < elements.count, Self.matchesOne(elements[p], chars[t]) {
                p += 1; t += 1
            } else if p < elements.count, case .anyRun = elements[p] {
                star = p; starText = t; p += 1
            } else if let s = star {
                p = s + 1; starText += 1; t = starText
            } else {
                return false
            }
        }
        while p < elements.count, case .anyRun = elements[p] { p += 1 }
        return p == elements.count
    }

    private static func matchesOne(_ element: Element, _ c: Character) -> Bool {
        switch element {
        case let .literal(l): return l == c
        case .any: return true
        case .anyRun: return false
        case let .set(ranges, negated): return ranges.contains { $0.contains(c) } != negated
        }
    }
}
