import Foundation
import Models
import TestSupport
import XCTest

/// all-MiniLM-L6-v2 (when fetched into ~/.cache/mtl/models) reproduces sentence-transformers'
/// normalized mean-pooled embeddings (Tests/Fixtures/minilm_embeddings.json) within 1e-4,
/// through the Swift API and through the built `mtl embed` binary.
final class PretrainedParityTests: XCTestCase {
    private struct Expected: Decodable {
        let texts: [String]
        let embeddings: [[Float]]
    }

    private static let folder = FileManager.default.homeDirectoryForCurrentUser
        .appendingPathComponent(".cache/mtl/models/all-MiniLM-L6-v2", isDirectory: true)

    private func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Fixtures.url("minilm_embeddings.json")))
    }

    private func skipUnlessPretrained() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent("model.safetensors").path),
                          "all-MiniLM-L6-v2 is not at \(Self.folder.path); run Scripts/bootstrap --model to fetch it")
    }

    func testSwiftAPIMatchesSentenceTransformers() throws {
        try skipUnlessPretrained()
        let reference = try expected()
        let encoder = try SentenceEncoder.load(Self.folder.path, options: .init(normalize: true))
        XCTAssertEqual(encoder.pooling, .mean, "from 1_Pooling/config.json")
        XCTAssertEqual(encoder.unusedWeights.filter { !$0.contains("position_ids") && !$0.hasPrefix("pooler.") }, [])
        let vectors = try encoder.encode(reference.texts, batchSize: 5)
        for (i, vector) in vectors.enumerated() {
            assertClose(vector, reference.embeddings[i], tolerance: 1e-4, "text \(i): \(reference.texts[i].prefix(40))")
        }
    }

    func testEmbedCommandMatchesSentenceTransformers() throws {
        try skipUnlessPretrained()
        let binary = Fixtures.repositoryRoot.appendingPathComponent(".build/debug/mtl")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "\(binary.path) is not built; run swift build")
        let reference = try expected()
        XCTAssertFalse(reference.texts.contains { $0.contains("\n") }, "one text per line")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["embed", "--model", "all-MiniLM-L6-v2", "--normalize", "--batch", "4"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(reference.texts.map { $0 + "\n" }.joined().utf8))
        try input.fileHandleForWriting.close()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        let lines = String(decoding: stdout, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, reference.texts.count)
        for (i, line) in lines.enumerated() where i < reference.embeddings.count {
            let vector = try JSONDecoder().decode([Float].self, from: Data(line.utf8))
            assertClose(vector, reference.embeddings[i], tolerance: 1e-4, "line \(i + 1)")
        }
    }
}
