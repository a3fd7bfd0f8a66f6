import XCTest
@testable import Training

final class CSVReaderTests: XCTestCase {
    func testQuotedFieldsHoldCommasDoubledQuotesAndNewlines() {
        let text = "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n"
        let records = CSVReader.csv.records(text)
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["x, y", "say \"hi\""], ["two\nlines", "z"]])
        // The third record starts on line 3 even though it spans lines 3–4.
        XCTAssertEqual(records.map(\.line), [1, 2, 3])
        XCTAssertTrue(records.allSatisfy { $0.problem == nil })
    }

    func testLineNumbersCountNewlinesInsideQuotesAndSkipBlankLines() {
        let text = "h\n\"1\n2\n3\"\n\nlast\n"
        let records = CSVReader.csv.records(text)
        XCTAssertEqual(records.map(\.line), [1, 2, 6])
        XCTAssertEqual(records.last?.fields, ["last"])
    }

    func testCRLFLineEndingsAndByteOrderMark() {
        let records = CSVReader.csv.records("\u{FEFF}text,t\r\nhello,a\r\n")
        XCTAssertEqual(records.map(\.fields), [["text", "t"], ["hello", "a"]])
        XCTAssertEqual(records.map(\.line), [1, 2])
    }

    func testEmptyFieldsAreKept() {
        XCTAssertEqual(CSVReader.csv.records("a,,\n").first?.fields, ["a", "", ""])
        XCTAssertEqual(CSVReader.csv.records("\"\"\n").first?.fields, [""])
    }

    func testTextAfterClosingQuoteIsAProblem() {
        let records = CSVReader.csv.records("\"abc\"def,x\n")
        XCTAssertEqual(records.count, 1)
        XCTAssertNotNil(records[0].problem)
    }

    func testUnclosedQuoteIsAProblemOnTheLineItStarts() {
        let records = CSVReader.csv.records("a,b\n\"open,b\nmore\n")
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records[1].line, 2)
        XCTAssertNotNil(records[1].problem)
    }

    func testTSVHasNoQuoting() {
        let records = CSVReader.tsv.records("text\tlabel\n\"quoted\" text\tpos\n")
        XCTAssertEqual(records[1].fields, ["\"quoted\" text", "pos"])
        XCTAssertNil(records[1].problem)
    }

    func testWrittenLineReadsBack() {
        let fields = ["plain", "with, comma", "with \"quote\"", "two\nlines", " padded "]
        XCTAssertEqual(CSVReader.csv.records(CSVReader.csv.line(fields)).first?.fields, fields)
    }
}
