import Foundation
import Script
import XCTest
@testable import Shell

/// `encoder … max_length=` is checked when the encoder is made: from 2 ([CLS] and [SEP]) to the
/// model's position count (tiny-bert has 128).
final class EncoderMaxLengthTests: XCTestCase {
    private func message(_ source: String) -> String? {
        do {
            try ShellHarness().run(source)
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testLengthsOutsideTwoToTheModelsPositionsAreRefused() {
        for length in [0, 1, -5, 129, 600] {
            let text = message("enc = encoder \"tiny-bert\" max_length=\(length)")
            XCTAssertNotNil(text, "max_length=\(length) was accepted")
            XCTAssertTrue(text?.contains("it must be from 2 ([CLS] and [SEP]) to 128") == true, text ?? "")
        }
    }

    func testTheEndsOfTheRangeAreAccepted() throws {
        let shell = ShellHarness()
        try shell.run("a = encoder \"tiny-bert\" max_length=2\nb = encoder \"tiny-bert\" max_length=128")
        XCTAssertEqual(try shell.value("a.max_length"), .number(2))
        XCTAssertEqual(try shell.value("b.max_length"), .number(128))
    }
}
