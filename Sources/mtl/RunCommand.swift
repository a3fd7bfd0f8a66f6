import ArgumentParser

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an .mtls script. Not built yet."
    )

    @Argument(help: "The script to run.") var file: String

    func run() throws {
        throw ValidationError("`mtl run` is not built yet")
    }
}
