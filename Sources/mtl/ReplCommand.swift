import ArgumentParser
import Foundation
import Shell

/// `mtl` with no subcommand: the `mtl>` prompt on a terminal, `-e CODE`, or standard input as a script.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Open the interactive mtl> prompt (the default).",
        discussion: """
            On a terminal, opens the prompt: history in $MTL_HISTORY (default ~/.mtl_history), \
            Tab completion, `help` for commands, `:time on` to time each entry, `exit` or Ctrl-D \
            to leave. When standard input is not a terminal, runs it as a script instead \
            (echo 'print(1+1)' | mtl), with the exit codes of `mtl run`.
            """
    )

    @Option(name: [.customShort("e"), .customLong("eval")], help: ArgumentHelp("Run CODE and exit (exit codes as for `mtl run`).", valueName: "CODE"))
    var code: String?

    @Flag(name: .customLong("no-confirm"), help: "Leave without asking to save unsaved session objects.")
    var noConfirm = false

    @Flag(name: [.short, .long], help: "Do not print the banner.")
    var quiet = false

    @Argument(help: ArgumentHelp("Script arguments for arg(), as name=value (with -e or standard input).", valueName: "name=value"))
    var scriptArguments: [String] = []

    func validate() throws {
        if let word = scriptArguments.first(where: { !$0.contains("=") }) {
            throw ValidationError("'\(word)' is neither a subcommand nor a name=value script argument; "
                                  + "to run a script use `mtl run \(word)`, see `mtl --help`")
        }
    }

    func run() throws {
        let context = ShellContext(scriptArguments: try ScriptArguments.parse(scriptArguments))
        let status: Int32
        if let code {
            status = ScriptRunner(context: context).run(source: code, file: "<command line>")
        } else if isatty(0) == 0 {
            status = ScriptRunner(context: context).runStandardInput()
        } else {
            let repl = REPL(engine: ScriptEngine(context: context), hooks: context.sessionHooks,
                            options: REPLOptions(confirmExit: !noConfirm, showBanner: !quiet))
            status = repl.run()
        }
        if status != 0 { throw ExitCode(status) }
    }
}
