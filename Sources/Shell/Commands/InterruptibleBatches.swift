/// Long per-text work (encode, predict) cut into one-batch chunks so Ctrl-C can stop it.
///
/// The encoder batches texts by token length, longest first; the chunks here are those same
/// batches, so chunking costs nothing in padding, and between two of them `between` runs
/// (a command's `call.checkInterrupt()`).
enum InterruptibleBatches {
    /// `body`'s results for `texts`, in input order.
    /// - Parameters:
    ///   - length: a text's length in tokens (the encoder's tokenizer), for grouping.
    ///   - between: called before every chunk but the first; throwing stops the work.
    ///   - body: the results for one chunk of at most `batchSize` texts, one per text, in order.
    static func map<Result>(_ texts: [String], batchSize: Int, length: (String) -> Int,
                            between: () throws -> Void, _ body: ([String]) throws -> [Result]) throws -> [Result] {
        let lengths = texts.map(length)
        let order = texts.indices.sorted { lengths[$0] > lengths[$1] }
        var results = [Result?](repeating: nil, count: texts.count)
        for start in stride(from: 0, to: order.count, by: max(1, batchSize)) {
            if start > 0 { try between() }
            let chunk = Array(order[start ..< min(start + max(1, batchSize), order.count)])
            let output = try body(chunk.map { texts[$0] })
            for (row, index) in chunk.enumerated() where row < output.count { results[index] = output[row] }
        }
        return results.compactMap { $0 }
    }
}
