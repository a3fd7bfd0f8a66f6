import ArgumentParser

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Open the interactive mtl> prompt (the default). Not built yet."
    )

    func run() throws {
        throw ValidationError("the REPL is not built yet")
    }
}
