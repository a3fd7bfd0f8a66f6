import CEditLine
import Foundation
import XCTest

final class EditLineLinkTests: XCTestCase {
    /// libedit links: an EditLine on /dev/null streams and a History object are created and freed.
    func testEditLineAndHistoryCreateAndFree() throws {
        guard let input = fopen("/dev/null", "r"), let output = fopen("/dev/null", "w") else {
            return XCTFail("cannot open /dev/null")
        }
        defer { fclose(input); fclose(output) }
        let editLine = el_init("mtl-test", input, output, output)
        XCTAssertNotNil(editLine)
        if let editLine { el_end(editLine) }

        let history = history_init()
        XCTAssertNotNil(history)
        if let history { history_end(history) }
    }
}
