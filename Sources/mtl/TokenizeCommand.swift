import ArgumentParser
import Foundation
import Models
import Tokenizers
import Training

/// `mtl tokenize`: one JSON array of token ids per input line.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of each input line as a JSON array.",
        discussion: """
            Reads one text per line (standard input when no FILE is given) and prints \
            [CLS] … [SEP] ids, truncated to the model's maximum length. An empty line is an \
            empty text.
            """
    )

    @Option(help: "A checkpoint folder, or a known model name.")
    var model: String = "all-MiniLM-L6-v2"

    @Option(help: "The longest encoding, [CLS] and [SEP] included (default: the model's).")
    var maxLength: Int?

    @Argument(help: "A UTF-8 text file, one text per line.")
    var file: String?

    func validate() throws {
        if let maxLength, maxLength < 2 {
            throw ValidationError("--max-length must be at least 2 (room for [CLS] and [SEP])")
        }
    }

    func run() throws {
        do {
            let tokenizer = try WordPieceTokenizer.load(folder: resolveTokenizerFolder(model), maxLength: maxLength)
            let input: Data
            if let file {
                input = try Data(contentsOf: URL(fileURLWithPath: file))
            } else {
                input = FileHandle.standardInput.readDataToEndOfFile()
            }
            try tokenizeLines(input, with: tokenizer)
        } catch let error as TokenizeCommandError {
            fail(error.description)
        } catch let error as TokenizerError {
            fail(error.description)
        } catch let error as CocoaError {
            fail("cannot read \(file ?? "standard input"): \(FileErrorText.reason(error, path: file ?? "/dev/stdin"))")
        }
    }

    /// Tokenizes each `\n`-terminated line (a trailing `\r` is dropped) and prints its ids.
    private func tokenizeLines(_ input: Data, with tokenizer: WordPieceTokenizer) throws {
        let bytes = [UInt8](input)
        var output = ""
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            var end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let next = end + 1
            if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            guard let text = String(validating: bytes[start..<end], as: UTF8.self) else {
                FileHandle.standardOutput.write(Data(output.utf8))
                throw TokenizeCommandError.invalidUTF8(line: lineNumber)
            }
            output += "[" + tokenizer.encode(text).map(String.init).joined(separator: ", ") + "]\n"
            if output.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output = ""
            }
            start = next
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("mtl tokenize: \(message)\n".utf8))
        Foundation.exit(1)
    }
}

/// The checkpoint folder holding the tokenizer of `model`: a folder path as given (only a
/// vocabulary is needed there), else whatever `ModelResolver` finds for the name (mtl's cache,
/// the Hugging Face hub cache, a built-in model's vocabulary folder).
func resolveTokenizerFolder(_ model: String) throws -> URL {
    let fm = FileManager.default
    let expanded = (model as NSString).expandingTildeInPath
    var isDirectory: ObjCBool = false
    if fm.fileExists(atPath: expanded, isDirectory: &isDirectory) {
        guard isDirectory.boolValue else { throw TokenizeCommandError.notAFolder(model) }
        return URL(fileURLWithPath: expanded, isDirectory: true)
    }
    if model.contains("/") && (model.hasPrefix("/") || model.hasPrefix(".")) || model.hasPrefix("~") {
        throw TokenizeCommandError.noSuchFolder(model)
    }
    switch try ModelResolver().resolve(model) {
    case let .checkpoint(files, _):
        return files.directory
    case let .random(spec):
        switch spec.vocabulary {
        case let .vocabTxt(url), let .tokenizerJSON(url): return url.deletingLastPathComponent()
        case .builtin: throw TokenizeCommandError.unknownModel(model)
        }
    }
}

/// Why `mtl tokenize` cannot run, worded for the person at the terminal.
enum TokenizeCommandError: Error, CustomStringConvertible {
    case notAFolder(String)
    case noSuchFolder(String)
    case unknownModel(String)
    case modelNotDownloaded(String, String)
    case invalidUTF8(line: Int)

    var description: String {
        switch self {
        case .notAFolder(let path):
            return "\(path) is a file; --model takes a checkpoint folder (with vocab.txt or tokenizer.json)"
        case .noSuchFolder(let path):
            return "no folder at \(path); --model takes a checkpoint folder (with vocab.txt or tokenizer.json)"
        case .unknownModel(let name):
            return "unknown model \(name); pass a checkpoint folder path or all-MiniLM-L6-v2"
        case .modelNotDownloaded(let name, let path):
            return "model \(name) is not at \(path); download it there or pass a checkpoint folder path"
        case .invalidUTF8(let line):
            return "line \(line) is not valid UTF-8"
        }
    }
}
