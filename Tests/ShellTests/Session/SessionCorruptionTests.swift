import Foundation
import Script
import Tensors
import XCTest
@testable import Shell

/// Damaged or hostile archives are refused with a message naming the problem, and the current
/// session stays exactly as it was.
final class SessionCorruptionTests: XCTestCase {
    private var folder: URL!
    private var archive: URL { folder.appendingPathComponent("good.mtlsession") }

    override func setUpWithError() throws {
        folder = try temporaryFolder()
        let shell = ShellHarness()
        try shell.run("t = tensor([[1, 2, 3], [4, 5, 6]])\nd = dummy 4 seed=2\nn = 1")
        try shell.run("save \"\(archive.path)\"")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// Restores `path` into a session holding `keep = 1` and `keep_t`; returns the error message.
    private func refusal(_ path: URL, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let shell = ShellHarness()
        try shell.run("keep = 1\nkeep_t = tensor([9])\nseed 11")
        let generator = shell.context.session.generator
        let before = shell.interpreter.userVariables.map(\.name)
        do {
            try shell.run("restore \"\(path.path)\"")
            XCTFail("the archive was accepted", file: file, line: line)
            return ""
        } catch let failure as ScriptFailure {
            XCTAssertEqual(shell.interpreter.userVariables.map(\.name), before, "variables untouched", file: file, line: line)
            XCTAssertEqual(shell.variable("keep"), .number(1), file: file, line: line)
            XCTAssertEqual(shell.context.session.generator, generator, "generator untouched", file: file, line: line)
            return failure.description
        }
    }

    private func copy() throws -> URL {
        let target = folder.appendingPathComponent("copy-\(UUID().uuidString).mtlsession")
        try FileManager.default.copyItem(at: archive, to: target)
        return target
    }

    private func editManifest(_ url: URL, _ edit: (inout [String: Any]) -> Void) throws {
        let manifestURL = url.appendingPathComponent("manifest.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any] ?? [:]
        edit(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: manifestURL)
    }

    private func tensorFile(_ url: URL) throws -> URL {
        let name = try FileManager.default.contentsOfDirectory(atPath: url.path).first { $0.hasSuffix("tensor.safetensors") }
        return url.appendingPathComponent(try XCTUnwrap(name))
    }

    /// An encoder's config in a hand-edited manifest gets the checks a config.json gets
    /// (heads dividing the hidden size, positive sizes) and its max length those of `encoder`.
    func testAnEditedEncoderConfigIsRefusedAsACheckpointsWouldBe() throws {
        let saved = folder.appendingPathComponent("enc.mtlsession")
        try ShellHarness().run("enc = encoder \"tiny-bert\"\nsave \"\(saved.path)\"")
        func edited(_ change: @escaping (inout [String: Any]) -> Void) throws -> URL {
            let target = folder.appendingPathComponent("enc-\(UUID().uuidString).mtlsession")
            try FileManager.default.copyItem(at: saved, to: target)
            try editManifest(target) { json in
                guard var objects = json["objects"] as? [[String: Any]], var info = objects.first?["info"] as? [String: Any] else { return }
                change(&info)
                objects[0]["info"] = info
                json["objects"] = objects
            }
            return target
        }
        func config(_ key: String, _ value: Any) throws -> URL {
            try edited { info in
                var config = info["config"] as? [String: Any] ?? [:]
                config[key] = value
                info["config"] = config
            }
        }
        XCTAssertTrue(try refusal(config("heads", 5)).contains("hidden_size 32 is not divisible by num_attention_heads 5"))
        XCTAssertTrue(try refusal(config("layers", 0)).contains("num_hidden_layers\": must be positive, found 0"))
        for length in [-5, 0, 129] {
            let message = try refusal(edited { $0["maxLength"] = length })
            XCTAssertTrue(message.contains("\(length) is out of range; it must be from 2"), message)
        }
    }

    func testTheUntouchedArchiveRestores() throws {
        let shell = ShellHarness()
        try shell.run("restore \"\(archive.path)\"")
        XCTAssertEqual(try shell.value("t.shape"), .list([.number(2), .number(3)]))
    }

    func testAMissingFileIsRefusedByName() throws {
        let damaged = try copy()
        let file = try tensorFile(damaged)
        try FileManager.default.removeItem(at: file)
        let message = try refusal(damaged)
        XCTAssertTrue(message.contains("file '\(file.lastPathComponent)': it is missing"), message)
    }

    func testFlippedBytesInASafetensorsHeaderAreRefused() throws {
        let damaged = try copy()
        let file = try tensorFile(damaged)
        var bytes = [UInt8](try Data(contentsOf: file))
        bytes[12] ^= 0xFF   // inside the JSON header (which starts at byte 8)
        try Data(bytes).write(to: file)
        let message = try refusal(damaged)
        XCTAssertTrue(message.contains("file '\(file.lastPathComponent)'") && message.contains("damaged"), message)
    }

    func testAHeaderDamagedBehindAMatchingChecksumIsStillRefusedBySafetensorsValidation() throws {
        let damaged = try copy()
        let file = try tensorFile(damaged)
        var bytes = [UInt8](try Data(contentsOf: file))
        bytes[8] = UInt8(ascii: "[")   // the header is no longer a JSON object
        try Data(bytes).write(to: file)
        let crc = CRC32.hex(CRC32.checksum(Data(bytes)))
        try editManifest(damaged) { json in
            json["files"] = (json["files"] as? [[String: Any]] ?? []).map { entry in
                var entry = entry
                if entry["path"] as? String == file.lastPathComponent { entry["crc32"] = crc }
                return entry
            }
        }
        let message = try refusal(damaged)
        XCTAssertTrue(message.contains("header is not a valid safetensors JSON object"), message)
    }

    func testAManifestPointingOutsideTheFolderIsRefused() throws {
        for hostile in ["../../etc/passwd", "/etc/passwd", "a/../../x", "./manifest.json"] {
            let damaged = try copy()
            try editManifest(damaged) { json in
                var files = json["files"] as? [[String: Any]] ?? []
                files[0]["path"] = hostile
                json["files"] = files
            }
            let message = try refusal(damaged)
            XCTAssertTrue(message.contains("file '\(hostile)'") && message.contains("must be relative and stay inside"), message)
        }
    }

    func testASymbolicLinkLeadingOutsideIsRefused() throws {
        let damaged = try copy()
        let file = try tensorFile(damaged)
        let outside = folder.appendingPathComponent("outside.safetensors")
        try FileManager.default.moveItem(at: file, to: outside)
        try FileManager.default.createSymbolicLink(at: file, withDestinationURL: outside)
        let message = try refusal(damaged)
        XCTAssertTrue(message.contains("leads outside the session folder"), message)
    }

    func testAnUnsupportedFormatVersionIsRefused() throws {
        let damaged = try copy()
        try editManifest(damaged) { $0["version"] = 99 }
        let message = try refusal(damaged)
        XCTAssertTrue(message.contains("session format version 99 is not supported (this mtl reads version 1)"), message)
        XCTAssertTrue(message.contains("newer mtl"), message)
    }

    func testAManifestThatIsNotJSONIsRefused() throws {
        let damaged = try copy()
        try Data("{ not json".utf8).write(to: damaged.appendingPathComponent("manifest.json"))
        XCTAssertTrue(try refusal(damaged).contains("manifest.json is damaged: it is not a JSON object"))
    }

    func testAShapeThatDisagreesWithTheFileIsRefused() throws {
        let damaged = try copy()
        try editManifest(damaged) { json in
            json["objects"] = (json["objects"] as? [[String: Any]] ?? []).map { object in
                var object = object
                if object["kind"] as? String == "tensor" { object["tensors"] = [["name": "value", "shape": [3, 2]]] }
                return object
            }
        }
        let message = try refusal(damaged)
        XCTAssertTrue(message.contains("tensor 'value' has shape [2, 3], the manifest says [3, 2]"), message)
    }

    func testAVariableReferringToAMissingObjectIsRefused() throws {
        let damaged = try copy()
        try editManifest(damaged) { json in
            json["variables"] = [["name": "ghost", "value": ["object": 42]]]
        }
        let message = try refusal(damaged)
        XCTAssertTrue(message.contains("variable 'ghost': it refers to object 42"), message)
    }

    func testAFolderWithoutAManifestIsNotASession() throws {
        let empty = folder.appendingPathComponent("empty.mtlsession")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        XCTAssertTrue(try refusal(empty).contains("not an mtl session (it has no manifest.json)"))
        XCTAssertTrue(try refusal(folder.appendingPathComponent("absent.mtlsession")).contains("no such folder"))
    }

    func testRandomDamageToAnyFileIsRefusedOrHarmlessNeverACrash() throws {
        // Flip one byte at a random place of a random file, 150 times (a fixed seed, so a failure
        // reproduces). Every outcome must be a clean error with the session untouched, or a
        // restore that succeeds (a flipped digit in the manifest can still be a valid value).
        var generator = SeededGenerator(seed: 20261129)
        let names = try FileManager.default.contentsOfDirectory(atPath: archive.path).sorted()
        var refused = 0
        for _ in 0..<150 {
            let damaged = try copy()
            let name = names[Int(generator.next() % UInt64(names.count))]
            let file = damaged.appendingPathComponent(name)
            var bytes = [UInt8](try Data(contentsOf: file))
            guard !bytes.isEmpty else { continue }
            let at = Int(generator.next() % UInt64(bytes.count))
            bytes[at] ^= UInt8(1 + generator.next() % 255)
            try Data(bytes).write(to: file)
            let shell = ShellHarness()
            try shell.run("keep = 1")
            do {
                try shell.run("restore \"\(damaged.path)\"")
            } catch {
                refused += 1
                XCTAssertEqual(shell.interpreter.userVariables.map(\.name), ["keep"], "\(name)@\(at): \(error)")
            }
            try FileManager.default.removeItem(at: damaged)
        }
        XCTAssertGreaterThan(refused, 100, "nearly every flip is caught (checksums cover every file but the manifest)")
    }
}
