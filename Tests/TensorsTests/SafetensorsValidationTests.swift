import Foundation
import Tensors
import XCTest

/// Every kind of malformed safetensors file is refused with an error naming the file, the
/// tensor and the problem — never a trap.
final class SafetensorsValidationTests: XCTestCase {
    private let fileName = "model.safetensors"

    /// Opens `data` expecting an error, and returns it (fails the test when none is thrown).
    private func openError(_ data: Data, file: StaticString = #filePath, line: UInt = #line) -> SafetensorsError? {
        do {
            _ = try SafetensorsFile(data: data, file: fileName)
            XCTFail("expected an error", file: file, line: line)
        } catch let error as SafetensorsError {
            XCTAssertTrue(error.description.hasPrefix("model.safetensors: "), error.description, file: file, line: line)
            return error
        } catch {
            XCTFail("not a SafetensorsError: \(error)", file: file, line: line)
        }
        return nil
    }

    private func oneTensor(_ entry: String, data: [UInt8] = [UInt8](repeating: 0, count: 16)) -> Data {
        safetensorsBytes(header: #"{"w":\#(entry)}"#, data: data)
    }

    func testFileShorterThanTheLengthPrefixIsTooShort() {
        XCTAssertEqual(openError(Data([1, 0, 0])), .tooShort(file: fileName, size: 3))
        XCTAssertEqual(openError(Data()), .tooShort(file: fileName, size: 0))
    }

    func testTruncatedFileWhoseHeaderRunsPastTheEnd() {
        let full = safetensorsBytes(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
        XCTAssertEqual(openError(full.prefix(20)), .headerPastEndOfFile(file: fileName, headerLength: 54, fileSize: 20))
    }

    func testHugeHeaderLengthIsRefusedWithoutOverflow() {
        XCTAssertEqual(openError(Data([UInt8](repeating: 0xFF, count: 8) + [0x7B])),
                       .headerTooLarge(file: fileName, headerLength: UInt64.max, limit: SafetensorsFile.maximumHeaderLength))
        // Under the cap but past the end of the file.
        XCTAssertEqual(openError(Data([0x00, 0x10, 0, 0, 0, 0, 0, 0, 0x7B])),
                       .headerPastEndOfFile(file: fileName, headerLength: 4096, fileSize: 9))
    }

    func testTruncatedDataAreaIsOutOfRange() {
        let error = openError(oneTensor(#"{"dtype":"F32","shape":[4],"data_offsets":[0,16]}"#, data: [0, 0, 0, 0]))
        XCTAssertEqual(error, .outOfRange(file: fileName, tensor: "w", end: 16, dataSize: 4))
    }

    func testHeaderThatIsNotJSONOrNotAnObject() {
        for header in [#"{"w": {"dtype": "F32""#, "not json", "[1, 2]", "\"text\""] {
            guard case .invalidHeader? = openError(safetensorsBytes(header: header, data: [])) else {
                return XCTFail("wrong error for \(header)")
            }
        }
        // Invalid UTF-8 (a lone continuation byte).
        var bytes = Array(safetensorsBytes(header: "{}", data: []))
        bytes[8] = 0x80
        guard case .invalidHeader(_, let problem)? = openError(Data(bytes)) else { return XCTFail() }
        XCTAssertTrue(problem.contains("UTF-8"), problem)
    }

    func testUnknownDType() {
        let error = openError(oneTensor(#"{"dtype":"F8_Q","shape":[1],"data_offsets":[0,1]}"#))
        XCTAssertEqual(error, .unknownDType(file: fileName, tensor: "w", dtype: "F8_Q"))
        XCTAssertTrue(error?.description.contains("supported: BOOL") ?? false)
    }

    func testShapeAndByteSizeMismatchMessage() {
        let header = #"{"encoder.layer.0.attention.self.query.weight":{"dtype":"F32","shape":[384,384],"data_offsets":[0,1024]}}"#
        let error = openError(safetensorsBytes(header: header, data: [UInt8](repeating: 0, count: 1024)))
        XCTAssertEqual(error?.description,
                       "model.safetensors: tensor 'encoder.layer.0.attention.self.query.weight': shape [384, 384] of F32 needs 589824 bytes but data_offsets give 1024")
    }

    func testShapeWhoseByteSizeOverflowsIsRefused() {
        let error = openError(oneTensor(#"{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,16]}"#))
        guard case .invalidEntry(_, "w", let problem)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertTrue(problem.contains("too large"), problem)
    }

    func testOverlappingOffsets() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        XCTAssertEqual(openError(safetensorsBytes(header: header, data: [UInt8](repeating: 0, count: 12))),
                       .overlap(file: fileName, first: "a", second: "b"))
    }

    func testEmptyTensorsSharingAnOffsetDoNotOverlap() throws {
        let header = #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"c":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]}}"#
        let file = try SafetensorsFile(data: safetensorsBytes(header: header, data: [UInt8](repeating: 0, count: 8)), file: fileName)
        XCTAssertEqual(try file.floats("a"), [])
        XCTAssertEqual(file.names, ["a", "b", "c"])
    }

    func testOffsetsThatAreReversedOrNotAPairOfIntegers() {
        for offsets in ["[8,4]", "[0]", "[0,4,8]", "[-4,0]", "[0,\"4\"]", "[0,4.5]", "\"0,4\""] {
            let error = openError(oneTensor(#"{"dtype":"U8","shape":[4],"data_offsets":\#(offsets)}"#))
            guard case .invalidEntry(_, "w", let problem)? = error else {
                return XCTFail("offsets \(offsets): \(String(describing: error))")
            }
            XCTAssertTrue(problem.contains("data_offsets"), problem)
        }
    }

    func testNegativeOrNonIntegerShape() {
        for (shape, expected) in [("[-1]", "negative"), ("[2.5]", "non-integer"), ("[\"2\"]", "non-integer"),
                                  ("[true]", "non-integer"), ("4", "not an array")] {
            let error = openError(oneTensor(#"{"dtype":"U8","shape":\#(shape),"data_offsets":[0,4]}"#))
            guard case .invalidEntry(_, "w", let problem)? = error else {
                return XCTFail("shape \(shape): \(String(describing: error))")
            }
            XCTAssertTrue(problem.contains(expected), problem)
        }
    }

    func testMissingFieldsAndNonObjectEntries() {
        for (entry, expected) in [(#"{"shape":[1],"data_offsets":[0,4]}"#, "missing 'dtype'"),
                                  (#"{"dtype":"F32","data_offsets":[0,4]}"#, "missing 'shape'"),
                                  (#"{"dtype":"F32","shape":[1]}"#, "missing 'data_offsets'"),
                                  (#"{"dtype":3,"shape":[1],"data_offsets":[0,4]}"#, "'dtype' is not a string"),
                                  ("[1]", "not a JSON object")] {
            guard case .invalidEntry(_, "w", let problem)? = openError(oneTensor(entry)) else {
                return XCTFail("entry \(entry)")
            }
            XCTAssertTrue(problem.contains(expected), problem)
        }
    }

    func testMetadataMustBeAnObjectOfStrings() {
        for metadata in [#"{"n": 1}"#, "[]", "\"x\""] {
            guard case .invalidMetadata? = openError(safetensorsBytes(header: #"{"__metadata__":\#(metadata)}"#, data: [])) else {
                return XCTFail("metadata \(metadata)")
            }
        }
    }

    func testMissingFileAndFolderAreUnreadable() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/dir/model.safetensors")
        XCTAssertThrowsError(try SafetensorsFile(contentsOf: missing)) { error in
            XCTAssertEqual(error as? SafetensorsError, .unreadable(file: missing.path, reason: "no such file"))
        }
        XCTAssertThrowsError(try SafetensorsFile(contentsOf: FileManager.default.temporaryDirectory)) { error in
            guard case .unreadable? = error as? SafetensorsError else { return XCTFail("\(error)") }
        }
    }

    /// Every prefix of a valid file is rejected cleanly (a truncated download), never trapping.
    func testEveryTruncationOfAValidFileIsRejected() throws {
        let full = try SafetensorsWriter.encode([(name: "a", shape: [3], values: [1, 2, 3]),
                                                 (name: "b", shape: [1], values: [4])], metadata: ["k": "v"])
        for length in 0 ..< full.count {
            XCTAssertThrowsError(try SafetensorsFile(data: full.prefix(length), file: fileName), "length \(length)")
        }
        XCTAssertNoThrow(try SafetensorsFile(data: full, file: fileName))
    }
}
