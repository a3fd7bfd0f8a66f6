/// Collects written text and hands complete lines to `emit` (the progress reporter writes line ends).
final class LineBuffer: @unchecked Sendable {
    // @unchecked: used on the one thread that runs the command.
    private var pending = ""
    private let emit: (String) -> Void

    init(_ emit: @escaping (String) -> Void) { self.emit = emit }

    func write(_ text: String) {
        pending += text
        while let newline = pending.firstIndex(of: "\n") {
            emit(String(pending[..<newline]))
            pending = String(pending[pending.index(after: newline)...])
        }
    }

    func flush() {
        if !pending.isEmpty { emit(pending) }
        pending = ""
    }
}
