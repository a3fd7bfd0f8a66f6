import ArgumentParser
import Foundation
import Models
import Shell
import Training

/// `mtl embed`: one sentence embedding per input line.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print one sentence embedding per input line.",
        discussion: """
            Reads one text per line (standard input when no FILE is given) and prints its \
            embedding: a JSON array per line (jsonl) or tab-separated numbers (tsv), in input \
            order. Texts are batched internally, sorted by length for speed. An empty line is an \
            empty text; a line longer than the model's maximum length is truncated.
            """
    )

    @Option(help: "A checkpoint folder, a known model name, tiny-bert, tiny-distilbert, random:<config>, or a folder written by export (its pooling, projection and normalisation are used).")
    var model: String = "all-MiniLM-L6-v2"

    @Option(help: "mean, cls or max (default: the exported model's or checkpoint's pooling, else mean).")
    var pooling: String?

    @Flag(inversion: .prefixedNo, help: "Divide each embedding by its L2 norm (default: the exported model's setting, else no).")
    var normalize: Bool?

    @Option(help: "Texts per forward pass.")
    var batch: Int = 32

    @Option(help: "jsonl (a JSON array per line) or tsv.")
    var format: String = "jsonl"

    @Argument(help: "A UTF-8 text file, one text per line.")
    var file: String?

    /// Lines encoded per round: bounds memory on long inputs while keeping batches full.
    private static let linesPerRound = 4096

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if let pooling, Pooling(rawValue: pooling) == nil {
            throw ValidationError("--pooling must be one of: \(Pooling.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if !["jsonl", "tsv"].contains(format) { throw ValidationError("--format must be jsonl or tsv") }
    }

    func run() throws {
        do {
            let pooling = self.pooling.flatMap(Pooling.init(rawValue:))
            let folder = (model as NSString).expandingTildeInPath
            let encoder: SentenceEncoder
            if ModelExport.isExport(folder) {
                encoder = try ModelExport.loadEncoder(folder, pooling: pooling, normalize: normalize)
            } else {
                encoder = try SentenceEncoder.load(model, options: SentenceEncoder.Options(pooling: pooling, normalize: normalize ?? false))
            }
            let input: Data
            if let file {
                do {
                    input = try Data(contentsOf: URL(fileURLWithPath: file))
                } catch {
                    throw EmbedCommandError.unreadable(file, FileErrorText.reason(error, path: file))
                }
            } else {
                input = FileHandle.standardInput.readDataToEndOfFile()
            }
            try embedLines(input, with: encoder)
        } catch {
            FileHandle.standardError.write(Data("mtl embed: \(error)\n".utf8))
            Foundation.exit(1)
        }
    }

    /// Splits `input` into `\n`-terminated lines (a trailing `\r` dropped), encodes them in
    /// rounds and prints each round in order. A line that is not UTF-8 stops with an error
    /// after the embeddings of the lines before it.
    private func embedLines(_ input: Data, with encoder: SentenceEncoder) throws {
        let bytes = [UInt8](input)
        var texts: [String] = []
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            var end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let next = end + 1
            if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            guard let text = String(validating: bytes[start..<end], as: UTF8.self) else {
                try emit(texts, with: encoder)
                throw EmbedCommandError.invalidUTF8(line: lineNumber)
            }
            texts.append(text)
            if texts.count == Self.linesPerRound {
                try emit(texts, with: encoder)
                texts = []
            }
            start = next
        }
        try emit(texts, with: encoder)
    }

    private func emit(_ texts: [String], with encoder: SentenceEncoder) throws {
        guard !texts.isEmpty else { return }
        let vectors = try encoder.encode(texts, batchSize: batch)
        var output = ""
        for vector in vectors {
            let numbers = vector.map { "\($0)" }
            output += format == "tsv" ? numbers.joined(separator: "\t") + "\n" : "[" + numbers.joined(separator: ", ") + "]\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

/// Why `mtl embed` cannot go on, worded for the person at the terminal.
enum EmbedCommandError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case invalidUTF8(line: Int)

    var description: String {
        switch self {
        case let .unreadable(file, reason): return "cannot read \(file): \(reason)"
        case let .invalidUTF8(line): return "line \(line) is not valid UTF-8"
        }
    }
}
