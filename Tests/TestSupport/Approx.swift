import XCTest

/// The largest absolute difference between two equally long arrays (infinity when lengths differ).
public func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    var worst: Float = 0
    for i in a.indices {
        let d = abs(a[i] - b[i])
        if d.isNaN { return .infinity }
        worst = max(worst, d)
    }
    return worst
}

/// Asserts that two arrays have the same length and agree within `tolerance` (max abs).
public func assertClose(_ actual: [Float], _ expected: [Float], tolerance: Float,
                        _ message: @autoclosure () -> String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "length differs. \(message())", file: file, line: line)
    let d = maxAbsDifference(actual, expected)
    XCTAssertLessThanOrEqual(d, tolerance, "max abs difference \(d) > \(tolerance). \(message())",
                             file: file, line: line)
}
