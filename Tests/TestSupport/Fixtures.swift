import Foundation

/// Paths of the reference fixtures copied into `Tests/Fixtures/` (see its README).
///
/// Found relative to this source file, so tests work from any clone without `../shared`.
public enum Fixtures {
    /// `Tests/Fixtures/`.
    public static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // TestSupport
        .deletingLastPathComponent()   // Tests
        .appendingPathComponent("Fixtures", isDirectory: true)

    /// A file or folder inside `Tests/Fixtures/`.
    public static func url(_ relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }

    /// The repository root (the folder holding `Package.swift`).
    public static let repositoryRoot: URL = directory
        .deletingLastPathComponent()
        .deletingLastPathComponent()
}
