import Foundation

/// The lines the REPL prints when it opens.
public enum Banner {
    /// Where downloaded models are kept: `$MTL_HOME`, else `$XDG_CACHE_HOME/mtl`, else `~/.cache/mtl`.
    public static func modelCacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["MTL_HOME"], !home.isEmpty { return home }
        if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty { return cache + "/mtl" }
        let userHome = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return userHome + "/.cache/mtl"
    }

    /// Version, model cache and how to get help.
    public static func text(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        """
        mtl \(MTLVersion.string) · multi-task sentence transformers
        models: \(modelCacheDirectory(environment: environment))
        Type `help` for commands, `help NAME` for one of them, `exit` or Ctrl-D to leave.
        """
    }
}
