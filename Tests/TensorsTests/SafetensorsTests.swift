import Foundation
import Tensors
import TestSupport
import XCTest

/// Reading and writing well-formed safetensors files.
final class SafetensorsTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("SafetensorsTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - Round trip

    func testRoundTripKeepsNamesShapesValuesIncludingScalarAndEmptyTensor() throws {
        let url = directory.appendingPathComponent("weights.safetensors")
        let tensors: [SafetensorsWriter.NamedTensor] = [
            (name: "b.matrix", shape: [2, 3], values: [1, -2, 3.5, 0, .pi, -0.0]),
            (name: "a.vector", shape: [4], values: [0.1, 0.2, 0.3, 1e-30]),
            (name: "c.scalar", shape: [], values: [42]),
            (name: "d.empty", shape: [0, 5], values: []),
        ]
        try SafetensorsWriter.write(tensors, to: url)
        let file = try SafetensorsFile(contentsOf: url)

        XCTAssertEqual(file.names, ["a.vector", "b.matrix", "c.scalar", "d.empty"])
        XCTAssertEqual(file.metadata, [:])
        for tensor in tensors {
            let entry = try XCTUnwrap(file.entry(tensor.name))
            XCTAssertEqual(entry.dtype, .f32)
            XCTAssertEqual(entry.shape, tensor.shape)
            XCTAssertEqual(entry.dataOffsets.count, tensor.values.count * 4)
            // Bit-exact: F32 is stored as is.
            XCTAssertEqual(try file.floats(tensor.name).map(\.bitPattern), tensor.values.map(\.bitPattern))
        }
        XCTAssertNil(file.entry("missing"))
    }

    func testRoundTripKeepsMetadataAndEscapedNames() throws {
        let url = directory.appendingPathComponent("meta.safetensors")
        let metadata = ["format": "pt", "note": "quote \" backslash \\ newline \n tab \t é"]
        try SafetensorsWriter.write([(name: "odd \"name\"\u{1}", shape: [1], values: [7])],
                                    metadata: metadata, to: url)
        let file = try SafetensorsFile(contentsOf: url)
        XCTAssertEqual(file.metadata, metadata)
        XCTAssertEqual(file.names, ["odd \"name\"\u{1}"])
        XCTAssertEqual(try file.floats("odd \"name\"\u{1}"), [7])
    }

    /// The Python library pads the header with spaces to a multiple of 8 and lays the data
    /// out in header order from offset 0; the written bytes must follow the same layout.
    func testWrittenLayoutIsPaddedHeaderThenDataInNameOrder() throws {
        let data = try SafetensorsWriter.encode([(name: "z", shape: [1], values: [2]),
                                                 (name: "y", shape: [1], values: [1])])
        let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        XCTAssertEqual(length % 8, 0)
        XCTAssertEqual(data.count, 8 + Int(length) + 8)
        let header = String(decoding: data[8 ..< 8 + Int(length)], as: UTF8.self)
        XCTAssertEqual(header.trimmingCharacters(in: .whitespaces),
                       #"{"y":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"z":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#)
        // 1.0f = 0x3F800000, 2.0f = 0x40000000, little-endian.
        XCTAssertEqual(Array(data.suffix(8)), [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40])
    }

    func testWriteReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws {
        let url = directory.appendingPathComponent("w.safetensors")
        try SafetensorsWriter.write([(name: "x", shape: [1], values: [1])], to: url)
        try SafetensorsWriter.write([(name: "x", shape: [2], values: [3, 4])], to: url)
        XCTAssertEqual(try SafetensorsFile(contentsOf: url).floats("x"), [3, 4])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["w.safetensors"])
    }

    func testWriterRejectsBadTensorsWithoutTouchingTheFile() throws {
        let url = directory.appendingPathComponent("bad.safetensors")
        let cases: [([SafetensorsWriter.NamedTensor], String)] = [
            ([(name: "x", shape: [2, 2], values: [1, 2, 3])], "shape [2, 2] holds 4 values but 3 were given"),
            ([(name: "x", shape: [1], values: [1]), (name: "x", shape: [1], values: [2])], "appears more than once"),
            ([(name: "x", shape: [-1], values: [])], "negative dimension"),
            ([(name: "__metadata__", shape: [1], values: [1])], "reserved"),
            ([(name: "", shape: [1], values: [1])], "name is empty"),
        ]
        for (tensors, expected) in cases {
            XCTAssertThrowsError(try SafetensorsWriter.write(tensors, to: url)) { error in
                guard case SafetensorsError.invalidTensor = error else { return XCTFail("\(error)") }
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
                XCTAssertTrue("\(error)".contains("bad.safetensors"), "\(error)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
    }

    func testWriteIntoAMissingFolderIsAWriteError() {
        let url = directory.appendingPathComponent("no/such/folder/x.safetensors")
        XCTAssertThrowsError(try SafetensorsWriter.write([(name: "x", shape: [1], values: [1])], to: url)) { error in
            guard case SafetensorsError.writeFailed = error else { return XCTFail("\(error)") }
        }
    }

    // MARK: - Fixture checkpoints

    /// Tests/Fixtures/tiny-bert/config.json: hidden 32, 2 layers, intermediate 64,
    /// 128 positions, type vocab 2, vocab 30522; names carry no prefix.
    func testReadsTinyBertFixtureWithShapesMatchingItsConfig() throws {
        let file = try SafetensorsFile(contentsOf: Fixtures.url("tiny-bert/model.safetensors"))
        XCTAssertEqual(file.metadata, ["format": "pt"])
        // 5 embedding tensors + 16 per layer × 2 layers.
        XCTAssertEqual(file.names.count, 5 + 16 * 2)
        let expected: [String: [Int]] = [
            "embeddings.word_embeddings.weight": [30522, 32],
            "embeddings.position_embeddings.weight": [128, 32],
            "embeddings.token_type_embeddings.weight": [2, 32],
            "embeddings.LayerNorm.weight": [32],
            "encoder.layer.0.attention.self.query.weight": [32, 32],
            "encoder.layer.1.intermediate.dense.weight": [64, 32],
            "encoder.layer.1.output.dense.weight": [32, 64],
        ]
        for (name, shape) in expected {
            XCTAssertEqual(file.entry(name)?.shape, shape, name)
            XCTAssertEqual(file.entry(name)?.dtype, .f32, name)
            XCTAssertEqual(try file.floats(name).count, shape.reduce(1, *), name)
        }
        // A freshly initialised LayerNorm has weight 1 and bias 0 (PyTorch's reset_parameters).
        XCTAssertEqual(try file.floats("embeddings.LayerNorm.weight"), [Float](repeating: 1, count: 32))
        XCTAssertEqual(try file.floats("embeddings.LayerNorm.bias"), [Float](repeating: 0, count: 32))
    }

    func testReadsTinyDistilBertFixtureWithPrefixedNames() throws {
        let file = try SafetensorsFile(contentsOf: Fixtures.url("tiny-distilbert/model.safetensors"))
        XCTAssertEqual(file.entry("distilbert.embeddings.word_embeddings.weight")?.shape, [30522, 32])
        XCTAssertEqual(file.entry("distilbert.transformer.layer.1.ffn.lin1.weight")?.shape, [64, 32])
        XCTAssertTrue(file.names.allSatisfy { $0.hasPrefix("distilbert.") })
    }

    /// all-MiniLM-L6-v2 (hidden 384, 6 layers, intermediate 1536, 512 positions), when fetched.
    func testReadsThePretrainedMiniLMCheckpointWhenPresent() throws {
        let url = FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".cache/mtl/models/all-MiniLM-L6-v2/model.safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("all-MiniLM-L6-v2 not in ~/.cache/mtl (Scripts/bootstrap --model fetches it)")
        }
        let file = try SafetensorsFile(contentsOf: url)
        XCTAssertEqual(file.entry("embeddings.word_embeddings.weight")?.shape, [30522, 384])
        XCTAssertEqual(file.entry("encoder.layer.5.intermediate.dense.weight")?.shape, [1536, 384])
        var total = 0
        for name in file.names { total += try file.floats(name).count }
        // Every element of the 22.7M-parameter model is read (sum of the shapes' products).
        XCTAssertEqual(total, file.names.compactMap { file.entry($0)?.elementCount }.reduce(0, +))
        XCTAssertGreaterThan(total, 22_000_000)
    }

    // MARK: - Conversions from other dtypes

    func testConvertsHalfBFloatDoubleAndIntegerTypesToFloat() throws {
        // F16: 0x3C00 = 1, 0xC000 = -2, 0x7BFF = 65504 (largest half), 0x0001 = 2⁻²⁴ (smallest
        // subnormal), 0x3555 = 0.333251953125, 0x7C00 = +inf (IEEE 754 binary16 encodings).
        let f16: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0x01, 0x00, 0x55, 0x35, 0x00, 0x7C]
        // BF16: 0x3F80 = 1, 0xC040 = -3, 0x4049 = 3.140625 (top halves of the float32 patterns).
        let bf16: [UInt8] = [0x80, 0x3F, 0x40, 0xC0, 0x49, 0x40]
        // F64: 1.5 = 0x3FF8000000000000, -0.25 = 0xBFD0000000000000.
        let f64: [UInt8] = [0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0, 0, 0, 0, 0, 0, 0xD0, 0xBF]
        // I64: 7 and -1; I32: 300 and -5; I8: -128; U8: 255; BOOL: 0, 1.
        let i64: [UInt8] = [7, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        let i32: [UInt8] = [0x2C, 0x01, 0, 0, 0xFB, 0xFF, 0xFF, 0xFF]
        let parts: [(String, String, [Int], [UInt8])] = [
            ("h", "F16", [2, 3], f16), ("b", "BF16", [3], bf16), ("d", "F64", [2], f64),
            ("l", "I64", [2], i64), ("i", "I32", [2], i32), ("c", "I8", [1], [0x80]),
            ("u", "U8", [1], [0xFF]), ("t", "BOOL", [2], [0, 1]),
        ]
        var entries: [String] = []
        var data: [UInt8] = []
        for (name, dtype, shape, bytes) in parts {
            entries.append(#""\#(name)":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":[\#(data.count),\#(data.count + bytes.count)]}"#)
            data += bytes
        }
        let file = try SafetensorsFile(data: safetensorsBytes(header: "{" + entries.joined(separator: ",") + "}", data: data),
                                       file: "mixed.safetensors")
        XCTAssertEqual(try file.floats("h"), [1, -2, 65504, 0x1p-24, 0.333251953125, .infinity])
        XCTAssertEqual(try file.floats("b"), [1, -3, 3.140625])
        XCTAssertEqual(try file.floats("d"), [1.5, -0.25])
        XCTAssertEqual(try file.floats("l"), [7, -1])
        XCTAssertEqual(try file.floats("i"), [300, -5])
        XCTAssertEqual(try file.floats("c"), [-128])
        XCTAssertEqual(try file.floats("u"), [255])
        XCTAssertEqual(try file.floats("t"), [0, 1])
        XCTAssertEqual(file.entry("h")?.dtype, .f16)
        XCTAssertEqual(try file.rawBytes("b"), Data(bf16))
    }

    /// A header whose length is not a multiple of 8 leaves F32 data unaligned; reads must still work.
    func testReadsUnalignedF32Data() throws {
        let header = #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#   // 54 bytes
        XCTAssertNotEqual(header.utf8.count % 4, 0)
        let file = try SafetensorsFile(data: safetensorsBytes(header: header, data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0]),
                                       file: "u.safetensors")
        XCTAssertEqual(try file.floats("x"), [1, -2])
    }

    func testAskingForAMissingTensorNamesFileAndTensor() throws {
        let file = try SafetensorsFile(data: SafetensorsWriter.encode([]), file: "empty.safetensors")
        XCTAssertEqual(file.names, [])
        XCTAssertThrowsError(try file.floats("nope")) { error in
            XCTAssertEqual("\(error)", "empty.safetensors: no tensor named 'nope'")
        }
    }
}

/// A safetensors byte image: little-endian length of `header`, the header, then `data`.
func safetensorsBytes(header: String, data: [UInt8]) -> Data {
    let json = Array(header.utf8)
    var bytes = (0 ..< 8).map { UInt8((UInt64(json.count) >> (8 * UInt64($0))) & 0xFF) }
    bytes += json
    bytes += data
    return Data(bytes)
}
