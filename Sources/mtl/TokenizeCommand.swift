import ArgumentParser

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of each input line as a JSON array. Not built yet."
    )

    func run() throws {
        throw ValidationError("`mtl tokenize` is not built yet")
    }
}
