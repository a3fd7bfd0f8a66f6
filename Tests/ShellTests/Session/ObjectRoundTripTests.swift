import Foundation
import Script
import XCTest
@testable import Shell

/// Every kind of object a command makes survives save and restore, shared where it was shared.
final class ObjectRoundTripTests: XCTestCase {
    func testEveryObjectKindRoundTrips() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = folder.appendingPathComponent("all.mtlsession").path
        let shell = ShellHarness()
        try shell.run("""
        enc = encoder "tiny-distilbert" pooling="cls" dim=6 normalize=true
        model = multitask enc heads={x: ["p", "q"]} hidden=3
        part = model.encoder.layers[1:]
        head = model.heads.x
        freeze part
        d = dummy 10 tasks={x: ["p", "q"]} seed=1
        counts = d.counts
        opt = sgd model lr=0.1 momentum=0.9
        run = train model d opt steps=2 batch=5
        result = evaluate model d
        p = predict model ["one", "two words"]
        e = encode enc "hello"
        """)
        try shell.run("save \"\(archive)\"")
        let fresh = ShellHarness()
        try fresh.run("restore \"\(archive)\"")
        for name in ["enc", "model", "part", "head", "d", "counts", "opt", "run", "result", "p", "e"] {
            XCTAssertEqual(try fresh.value(name).repr, try shell.value(name).repr, "\(name) prints the same")
            XCTAssertEqual(try fresh.value("type(\(name))"), try shell.value("type(\(name))"), name)
        }
        XCTAssertEqual(try fresh.value("model.encoder == enc"), .bool(true))
        XCTAssertEqual(try fresh.value("opt.model == model"), .bool(true))
        XCTAssertEqual(try fresh.value("encode(enc, \"hello\").values"), try shell.value("e.values"), "the restored encoder encodes the same")
        XCTAssertEqual(try fresh.value("predict(model, [\"one\", \"two words\"]).logits"), try shell.value("p.logits"))
        XCTAssertEqual(try fresh.value("part").repr, try shell.value("part").repr, "frozen state restored")
        XCTAssertTrue(try fresh.value("part").repr.hasSuffix("frozen"))
    }
}
