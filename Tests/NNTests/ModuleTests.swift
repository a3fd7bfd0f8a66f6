import NN
import Tensors
import XCTest

/// Module trees: dotted names as PyTorch's `named_parameters()`, modes reaching every child.
final class ModuleTests: XCTestCase {
    /// Linear(4→3) then Dropout then Linear(3→2), registered as "0", "1", "2" like nn.Sequential.
    final class TwoLayer: Module {
        let first, second: Linear
        let dropout: Dropout
        var isTraining = false
        init() throws {
            var generator = SeededGenerator(seed: 0)
            first = try Linear(inFeatures: 4, outFeatures: 3, generator: &generator)
            second = try Linear(inFeatures: 3, outFeatures: 2, bias: false, generator: &generator)
            dropout = try Dropout(p: 0.1, random: RandomSource(seed: 0))
        }
        var children: [(String, any Module)] { [("0", first), ("1", dropout), ("2", second)] }
    }

    final class Outer: Module {
        let inner: TwoLayer
        let scale: Parameter
        var isTraining = false
        init() throws {
            inner = try TwoLayer()
            scale = Parameter(name: "scale", value: Tensor([1]))
        }
        var ownParameters: [(String, Parameter)] { [("scale", scale)] }
        var children: [(String, any Module)] { [("head", inner)] }
    }

    func testNestedModulesContributeDottedNames() throws {
        let model = try Outer()
        XCTAssertEqual(model.namedParameters().map(\.0), ["scale", "head.0.weight", "head.0.bias", "head.2.weight"])
        XCTAssertEqual(model.parameterCount, 1 + 12 + 3 + 6)
    }

    func testTrainingModeReachesEveryDescendantAndWithModeRestoresIt() throws {
        let model = try Outer()
        model.setTraining(true)
        XCTAssertTrue(model.inner.dropout.isTraining)
        model.setTraining(false)
        struct Failure: Error {}
        XCTAssertThrowsError(try model.withMode(training: true) {
            XCTAssertTrue(model.inner.dropout.isTraining)
            throw Failure()
        })
        XCTAssertFalse(model.inner.dropout.isTraining, "mode restored even when the body throws")
    }
}
