import ArgumentParser

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print one sentence embedding per input line. Not built yet."
    )

    func run() throws {
        throw ValidationError("`mtl embed` is not built yet")
    }
}
