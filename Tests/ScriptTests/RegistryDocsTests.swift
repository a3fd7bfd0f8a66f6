import Foundation
import XCTest
import TestSupport
@testable import Script

/// docs/LANGUAGE.md must describe every generic builtin exactly as registered, and every
/// registered example must run.
final class RegistryDocsTests: XCTestCase {
    static let languageDoc = Fixtures.repositoryRoot.appendingPathComponent("docs/LANGUAGE.md")

    func testLanguageDocEmbedsTheGeneratedBuiltinReference() throws {
        let doc = try String(contentsOf: Self.languageDoc, encoding: .utf8)
        let reference = BuiltinRegistry.standard().markdownReference
        XCTAssertTrue(doc.contains(reference),
                      "docs/LANGUAGE.md is out of date: paste BuiltinRegistry.standard().markdownReference between the builtin markers (run this test with MTL_WRITE_DOCS=1 to regenerate)")
    }

    func testEveryBuiltinAppearsInTheDocWithItsSignature() throws {
        let doc = try String(contentsOf: Self.languageDoc, encoding: .utf8)
        for builtin in BuiltinRegistry.standard().all {
            XCTAssertTrue(doc.contains("`\(builtin.signature)`"), "docs/LANGUAGE.md lacks \(builtin.signature)")
        }
    }

    func testEveryBuiltinHasSummaryAndRunnableExample() throws {
        for builtin in BuiltinRegistry.standard().all {
            XCTAssertFalse(builtin.summary.isEmpty, "\(builtin.name) has no summary")
            XCTAssertFalse(builtin.example.isEmpty, "\(builtin.name) has no example")
            let interpreter = Interpreter()
            interpreter.output = { _ in }
            XCTAssertNoThrow(try interpreter.run(source: builtin.example, file: "example of \(builtin.name)"),
                             "the example of \(builtin.name) fails")
        }
    }

    func testGrammarInDocMatchesParserComment() throws {
        // The EBNF lives at the top of Parser.swift; the doc quotes it verbatim.
        let parser = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Sources/Script/Parser.swift"), encoding: .utf8)
        let doc = try String(contentsOf: Self.languageDoc, encoding: .utf8)
        let grammar = parser.split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.hasPrefix("//") }
            .compactMap { line -> String? in
                let text = line.dropFirst(2)
                return text.hasPrefix("   ") ? String(text.dropFirst(3)) : nil
            }
        XCTAssertGreaterThan(grammar.count, 20)
        for rule in grammar where !rule.trimmingCharacters(in: .whitespaces).isEmpty {
            XCTAssertTrue(doc.contains(rule), "docs/LANGUAGE.md lacks grammar line: \(rule)")
        }
    }

    /// Regenerates the builtin section of docs/LANGUAGE.md when MTL_WRITE_DOCS=1.
    func testRegenerateDocsWhenAsked() throws {
        guard ProcessInfo.processInfo.environment["MTL_WRITE_DOCS"] == "1" else { return }
        var doc = try String(contentsOf: Self.languageDoc, encoding: .utf8)
        let begin = "<!-- builtins:begin (generated from the registry; see RegistryDocsTests) -->\n"
        let end = "<!-- builtins:end -->"
        guard let a = doc.range(of: begin), let b = doc.range(of: end) else { return XCTFail("markers missing") }
        doc.replaceSubrange(a.upperBound..<b.lowerBound, with: "\n" + BuiltinRegistry.standard().markdownReference + "\n")
        try doc.write(to: Self.languageDoc, atomically: true, encoding: .utf8)
    }
}
