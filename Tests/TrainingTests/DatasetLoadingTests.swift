import XCTest
@testable import Training

final class DatasetLoadingTests: XCTestCase {
    // MARK: - Formats

    func testJSONLKeysOtherThanTextAreTasksInFileOrder() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = try writeFile("""
        {"text": "Hello, how are you?", "sentence_type": "question", "sentiment": "positive"}

        {"text": "Close the door.", "sentiment": null, "sentence_type": "command"}
        {"text": "It rains.", "sentence_type": "statement", "sentiment": ""}
        """, named: "data.jsonl", in: dir)
        let loaded = try Dataset.load(url)
        let data = loaded.dataset
        XCTAssertEqual(data.count, 3)
        XCTAssertEqual(data.tasks, ["sentence_type", "sentiment"])
        XCTAssertEqual(data[0].labels, ["sentence_type": "question", "sentiment": "positive"])
        // null and "" both mean "no label for this task".
        XCTAssertEqual(data[1].labels, ["sentence_type": "command"])
        XCTAssertEqual(data[2].labels, ["sentence_type": "statement"])
        XCTAssertEqual(data[1].line, 3)   // the blank line 2 is skipped but still counted
        XCTAssertEqual(data[1].file, "data.jsonl")
        XCTAssertTrue(loaded.skipped.isEmpty)
    }

    func testCSVWithRFC4180QuotingAndEmptyCells() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = try writeFile("""
        text,sentiment,sentence_type
        "Hello, how are you?",positive,question
        "She said ""hi""
        and left",neutral,statement
        plain text,,command

        """, named: "data.csv", in: dir)
        let data = try Dataset.load(url).dataset
        XCTAssertEqual(data.tasks, ["sentiment", "sentence_type"])
        XCTAssertEqual(data.texts, ["Hello, how are you?", "She said \"hi\"\nand left", "plain text"])
        XCTAssertEqual(data[1].labels, ["sentiment": "neutral", "sentence_type": "statement"])
        XCTAssertEqual(data[2].labels, ["sentence_type": "command"])   // empty cell = missing label
        XCTAssertEqual(data.examples.map(\.line), [2, 3, 5])
    }

    func testTSVWithTextColumnNotFirst() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = try writeFile("label\ttext\npos\t\"Great\" movie, really\nneg\tbad\n", named: "reviews.tsv", in: dir)
        let data = try Dataset.load(url).dataset
        XCTAssertEqual(data.tasks, ["label"])
        XCTAssertEqual(data.texts, ["\"Great\" movie, really", "bad"])
        XCTAssertEqual(data.examples.map { $0.labels["label"] }, ["pos", "neg"])
    }

    func testExplicitFormatOverridesExtension() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = try writeFile("text,t\nhi,a\n", named: "data.txt", in: dir)
        XCTAssertThrowsError(try Dataset.load(url)) { error in
            XCTAssertEqual(error as? DatasetError, .unknownFormat(file: "data.txt"))
        }
        XCTAssertEqual(try Dataset.load(url, format: .csv).dataset.texts, ["hi"])
    }

    func testMissingFileNamesTheFile() throws {
        let dir = try makeTemporaryDirectory(self)
        XCTAssertThrowsError(try Dataset.load(dir.appendingPathComponent("nope.jsonl"))) { error in
            XCTAssertTrue("\(error)".hasPrefix("nope.jsonl: cannot read the file"), "\(error)")
        }
    }

    // MARK: - Header problems

    func testHeaderWithoutTextColumnIsRefused() {
        XCTAssertThrowsError(try Dataset.parse("sentence,label\nhi,a\n", format: .csv, file: "d.csv")) { error in
            XCTAssertTrue("\(error)".hasPrefix("d.csv:1: no 'text' column"), "\(error)")
        }
    }

    func testDuplicateColumnIsRefused() {
        XCTAssertThrowsError(try Dataset.parse("text,a,a\nhi,x,y\n", format: .csv, file: "d.csv")) { error in
            XCTAssertEqual("\(error)", "d.csv:1: column 'a' appears twice")
        }
    }

    // MARK: - Bad rows, one of each kind, each with file:line

    func badRowMessages(_ text: String, _ format: DatasetFormat, file: String) -> [String] {
        do {
            _ = try Dataset.parse(text, format: format, file: file)
            XCTFail("expected bad rows")
            return []
        } catch let DatasetError.badRows(_, problems, _) {
            return problems.map(\.description)
        } catch {
            XCTFail("unexpected error \(error)")
            return []
        }
    }

    func testCSVWrongFieldCount() {
        let messages = badRowMessages("text,a,b,c\nok,1,2,3\nshort,1,2\n", .csv, file: "data.csv")
        XCTAssertEqual(messages, ["data.csv:3: row has 3 fields, header has 4"])
    }

    func testCSVEmptyText() {
        let messages = badRowMessages("text,a\n  ,x\n", .csv, file: "data.csv")
        XCTAssertEqual(messages, ["data.csv:2: empty text"])
    }

    func testCSVBrokenQuoting() {
        let messages = badRowMessages("text,a\n\"fine\",x\n\"bad\"tail,x\n", .csv, file: "data.csv")
        XCTAssertEqual(messages.count, 1)
        XCTAssertTrue(messages[0].hasPrefix("data.csv:3: unexpected text after a closing quote"), messages[0])
    }

    func testTSVWrongFieldCount() {
        let messages = badRowMessages("text\tlabel\na\tb\tc\n", .tsv, file: "data.tsv")
        XCTAssertEqual(messages, ["data.tsv:2: row has 3 fields, header has 2"])
    }

    func testJSONLBrokenJSON() {
        let messages = badRowMessages("{\"text\": \"ok\"}\n{\"text\": \"oops\"\n", .jsonl, file: "data.jsonl")
        XCTAssertEqual(messages.count, 1)
        XCTAssertTrue(messages[0].hasPrefix("data.jsonl:2: broken JSON"), messages[0])
    }

    func testJSONLMissingAndEmptyAndNonStringText() {
        let messages = badRowMessages("""
        {"label": "a"}
        {"text": "", "label": "a"}
        {"text": 42}
        [1, 2]
        """, .jsonl, file: "data.jsonl")
        XCTAssertEqual(messages, [
            "data.jsonl:1: no \"text\" key",
            "data.jsonl:2: empty text",
            "data.jsonl:3: \"text\" is a number, expected a string",
            "data.jsonl:4: expected a JSON object like {\"text\": \"…\", \"task\": \"label\"}",
        ])
    }

    func testJSONLNonStringLabel() {
        let messages = badRowMessages("""
        {"text": "hi", "sentiment": 2}
        {"text": "hi", "sentiment": true}
        {"text": "hi", "sentiment": ["a"]}
        """, .jsonl, file: "data.jsonl")
        XCTAssertEqual(messages, [
            "data.jsonl:1: label \"sentiment\" is a number, expected a string",
            "data.jsonl:2: label \"sentiment\" is a boolean, expected a string",
            "data.jsonl:3: label \"sentiment\" is a list, expected a string",
        ])
    }

    func testRefusalListsTheFirstTenProblemsAndTheTotal() {
        let rows = (1...12).map { _ in "only-one-field" }.joined(separator: "\n")
        XCTAssertThrowsError(try Dataset.parse("text,a\n" + rows + "\n", format: .csv, file: "big.csv")) { error in
            guard case let DatasetError.badRows(file, problems, total) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "big.csv")
            XCTAssertEqual(total, 12)
            XCTAssertEqual(problems.count, 10)
            XCTAssertEqual(problems.first?.line, 2)
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("big.csv: 12 bad rows"), message)
            XCTAssertTrue(message.contains("big.csv:11: row has 1 field, header has 2"), message)
            XCTAssertFalse(message.contains("big.csv:12:"), message)   // the 11th problem is not listed
            XCTAssertTrue(message.hasSuffix("… and 2 more"), message)
        }
    }

    func testSkippingBadRowsKeepsTheGoodOnesAndCountsTheRest() throws {
        let text = "text,a\ngood one,x\nbad,x,extra\n,x\ngood two,\n\"never closed,x\n"
        let loaded = try Dataset.parse(text, format: .csv, file: "mixed.csv", skipBadRows: true)
        XCTAssertEqual(loaded.dataset.texts, ["good one", "good two"])
        XCTAssertEqual(loaded.skipped.map(\.line), [3, 4, 6])
        XCTAssertEqual(loaded.skippedSummary?.hasPrefix("mixed.csv: skipped 3 bad rows"), true)
    }

    func testFileWithOnlyAHeaderIsEmpty() {
        XCTAssertThrowsError(try Dataset.parse("text,a\n", format: .csv, file: "e.csv")) { error in
            XCTAssertEqual(error as? DatasetError, .empty(file: "e.csv"))
        }
    }
}
