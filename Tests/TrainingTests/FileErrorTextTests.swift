import Foundation
import XCTest
@testable import Training

/// File-system errors read as a few plain words, never `NSCocoaErrorDomain Code=…`.
final class FileErrorTextTests: XCTestCase {
    func testReadingAFolderSaysItIsAFolder() throws {
        let folder = try makeTemporaryDirectory(self)
        XCTAssertThrowsError(try Dataset.load(folder, format: .jsonl)) { error in
            XCTAssertTrue("\(error)".hasSuffix("cannot read the file: it is a folder"), "\(error)")
        }
    }

    func testAMissingFileAndAFileInThePathAreNamed() throws {
        let folder = try makeTemporaryDirectory(self)
        XCTAssertThrowsError(try Dataset.load(folder.appendingPathComponent("none.jsonl"))) { error in
            XCTAssertTrue("\(error)".hasSuffix("cannot read the file: no such file or folder"), "\(error)")
        }
        let file = try writeFile("x", named: "plain.txt", in: folder)
        XCTAssertThrowsError(try Dataset.load(file.appendingPathComponent("inside.jsonl"))) { error in
            XCTAssertTrue("\(error)".hasSuffix("cannot read the file: \(file.path) is a file, not a folder"), "\(error)")
        }
    }

    func testErrorNumbersAndCocoaCodesMapToPlainReasons() {
        // Errors as Foundation raises them: a POSIX error, a Cocoa error wrapping one, a bare Cocoa code.
        let path = "/nonexistent-mtl-test/x"
        XCTAssertEqual(FileErrorText.reason(POSIXError(.EACCES), path: path), "permission denied")
        XCTAssertEqual(FileErrorText.reason(POSIXError(.EROFS), path: path), "the file system is read-only")
        let wrapped = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteFileExists.rawValue,
                              userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EEXIST))])
        XCTAssertEqual(FileErrorText.reason(wrapped, path: path), "a file with that name already exists")
        XCTAssertEqual(FileErrorText.reason(CocoaError(.fileWriteNoPermission), path: path), "permission denied")
        XCTAssertEqual(FileErrorText.reason(CocoaError(.fileNoSuchFile), path: path), "no such file or folder")
        XCTAssertEqual(FileError("cannot write", path, reason: "permission denied").description, "cannot write /nonexistent-mtl-test/x: permission denied")
    }
}
