import Foundation

/// The parts of the process environment that decide where models are looked for.
///
/// Injectable so tests (and embedding programs) can point the resolver at temporary folders.
public struct ModelEnvironment: Equatable, Sendable {
    /// Environment variables (`MTL_HOME`, `XDG_CACHE_HOME`, `HF_HOME`, `HF_HUB_CACHE`).
    public var variables: [String: String]
    /// The user's home folder (`~`).
    public var homeDirectory: URL
    /// Where relative model paths are resolved from.
    public var currentDirectory: URL

    public init(variables: [String: String], homeDirectory: URL, currentDirectory: URL) {
        self.variables = variables
        self.homeDirectory = homeDirectory
        self.currentDirectory = currentDirectory
    }

    /// The environment of this process.
    public static func current() -> ModelEnvironment {
        ModelEnvironment(variables: ProcessInfo.processInfo.environment,
                         homeDirectory: FileManager.default.homeDirectoryForCurrentUser,
                         currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath,
                                               isDirectory: true))
    }

    /// A variable's value, nil when unset or empty (the shell's `${X:-…}` reading).
    private func variable(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// `$XDG_CACHE_HOME`, else `~/.cache`.
    private var cacheHome: URL {
        variable("XDG_CACHE_HOME").map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? homeDirectory.appendingPathComponent(".cache", isDirectory: true)
    }

    /// mtl's own cache, `${MTL_HOME:-${XDG_CACHE_HOME:-~/.cache}/mtl}` (as `Scripts/bootstrap` uses).
    public var mtlHome: URL {
        variable("MTL_HOME").map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? cacheHome.appendingPathComponent("mtl", isDirectory: true)
    }

    /// Where `Scripts/bootstrap --model` puts pretrained models: `<mtlHome>/models`.
    public var mtlModels: URL { mtlHome.appendingPathComponent("models", isDirectory: true) }

    /// The Hugging Face hub cache, resolved as `huggingface_hub/constants.py` does:
    /// `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `${XDG_CACHE_HOME:-~/.cache}/huggingface/hub`.
    public var huggingFaceHubCache: URL {
        if let hub = variable("HF_HUB_CACHE") { return URL(fileURLWithPath: hub, isDirectory: true) }
        let home = variable("HF_HOME").map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? cacheHome.appendingPathComponent("huggingface", isDirectory: true)
        return home.appendingPathComponent("hub", isDirectory: true)
    }

    /// `path` with a leading `~` expanded and made absolute against `currentDirectory`.
    public func absolutePath(_ path: String) -> URL {
        let url: URL
        if path == "~" {
            url = homeDirectory
        } else if path.hasPrefix("~/") {
            url = homeDirectory.appendingPathComponent(String(path.dropFirst(2)))
        } else if path.hasPrefix("/") {
            url = URL(fileURLWithPath: path)
        } else {
            url = currentDirectory.appendingPathComponent(path)
        }
        // Drop "." and ".." so messages show the plain path.
        return url.standardizedFileURL
    }
}
