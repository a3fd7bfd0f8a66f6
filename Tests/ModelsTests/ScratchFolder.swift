import Foundation
import TestSupport

/// A fresh directory under the system temporary folder, removed when released.
final class ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("mtl-models-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A copy of fixture folder `name` (e.g. `tiny-bert`) inside this folder.
    func copyOfFixture(_ name: String) throws -> URL {
        let target = url.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.copyItem(at: Fixtures.url(name), to: target)
        return target
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
