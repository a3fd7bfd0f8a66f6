import ArgumentParser
import Shell
import Tensors

/// The `mtl` command: the REPL by default, plus one subcommand per batch job.
@main
struct MTL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mtl",
        abstract: "An experimentation shell for multi-task sentence transformers.",
        discussion: """
            With no subcommand, mtl opens the interactive `mtl>` prompt on a terminal, or reads \
            standard input as a script when it is not a terminal; `mtl -e CODE` runs one line. \
            Scripts exit with 0 on success, 65 on syntax errors, 66 when unreadable, 70 on a \
            runtime error and 130 when interrupted.
            """,
        version: MTLVersion.string,
        subcommands: [ReplCommand.self, RunCommand.self, EmbedCommand.self, TokenizeCommand.self, BenchCommand.self],
        defaultSubcommand: ReplCommand.self
    )

    /// Shortens OpenBLAS's idle-worker spin for every subcommand (training and embedding alike,
    /// not only `bench`), then parses and runs as ArgumentParser's own `main` does.
    static func main() {
        ComputeThreads.shortenBLASSpin()
        main(nil)
    }
}
