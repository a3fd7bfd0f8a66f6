import ArgumentParser
import Shell

/// `mtl run FILE.mtls [name=value …]`: runs a script, exit status by outcome.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an .mtls script.",
        discussion: """
            Arguments after the file are name=value pairs that the script reads with \
            arg("name", default). Exit status: 0 success, 65 syntax error (all of them are \
            printed), 66 the file (or --restore session) cannot be read, 70 runtime error, \
            73 the session cannot be saved, 130 interrupted.
            """
    )

    @Argument(help: "The script to run.") var file: String

    @Argument(help: ArgumentHelp("Script arguments for arg(), as name=value.", valueName: "name=value"))
    var scriptArguments: [String] = []

    @Option(help: ArgumentHelp("Restore the session saved at PATH before running.", valueName: "PATH"))
    var restore: String?

    @Option(help: ArgumentHelp("Save the session to PATH after a successful run.", valueName: "PATH"))
    var save: String?

    func validate() throws {
        _ = try ScriptArguments.parse(scriptArguments)
    }

    func run() throws {
        let context = ShellContext(scriptArguments: try ScriptArguments.parse(scriptArguments))
        let status = ScriptRunner(context: context).runFile(path: file, restoring: restore, savingTo: save)
        if status != 0 { throw ExitCode(status) }
    }
}

/// `name=value` command-line pairs for `arg()`.
enum ScriptArguments {
    static func parse(_ pairs: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("script arguments are name=value pairs; got '\(pair)'")
            }
            result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return result
    }
}
