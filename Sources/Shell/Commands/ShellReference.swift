import Script

/// The Markdown reference of the shell's commands, generated from their registrations
/// (docs/SHELL.md embeds it; a test keeps the two equal).
public enum ShellReference {
    public static var markdown: String {
        let registry = BuiltinRegistry()
        for builtin in ShellCommands.all(session: ShellSession()) { registry.register(builtin) }
        registry.alias("load_model", for: "encoder")
        return registry.markdownReference
    }
}
