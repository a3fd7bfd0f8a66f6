import NN
import Tensors
import TestSupport
import XCTest

/// AdamW on an embedding-shaped table, whose moments are held only for rows that have had a
/// gradient: bit for bit the dense update, and the memory it saves.
final class AdamWRowMomentsTests: XCTestCase {
    /// AdamW's documented update on dense buffers, written out as plain Float loops: the
    /// reference the row-lazy optimizer must equal bit for bit. Scalars in Double as Python
    /// computes them, then per element, in this order:
    /// θ ← θ·(1 − lr·λ); m ← fma(1 − β₁, g − m, m); v ← v·β₂ + (1 − β₂)·g·g;
    /// θ ← θ + (−lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε).
    private struct DenseReference {
        var theta: [Float], m: [Float], v: [Float]
        var t = 0

        init(_ theta: [Float]) {
            self.theta = theta
            m = [Float](repeating: 0, count: theta.count)
            v = m
        }

        mutating func step(_ g: [Float], lr: Float, weightDecay: Float, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8) {
            t += 1
            let lr = Double(lr)
            let decay = Float(1 - lr * Double(weightDecay))
            let w = Float(1 - Double(beta1)), s = Float(1 - Double(beta2))
            let c = Float((1 - pow(Double(beta2), Double(t))).squareRoot())
            let k = Float(-(lr / (1 - pow(Double(beta1), Double(t)))))
            for i in theta.indices {
                let t0 = theta[i] * decay
                let mi = m[i].addingProduct(w, g[i] - m[i])
                let vi = v[i] * beta2 + s * g[i] * g[i]
                m[i] = mi
                v[i] = vi
                theta[i] = t0 + k * mi / (vi.squareRoot() / c + eps)
            }
        }
    }

    /// Deterministic values in [−1, 1).
    private func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0 ..< count).map { _ in generator.nextFloat(in: -1, 1) }
    }

    /// A gradient of a rows×width table that is zero except on `rows`; each listed row gets
    /// random values, with a few exact zeros (and a −0) among them.
    private func sparseGradient(rows: Int, width: Int, touched: [Int], seed: UInt64) -> [Float] {
        var g = [Float](repeating: 0, count: rows * width)
        let random = values(touched.count * width, seed: seed)
        for (n, row) in touched.enumerated() {
            for j in 0 ..< width { g[row * width + j] = random[n * width + j] }
            g[row * width] = 0
            if width > 2 { g[row * width + 2] = -0.0 }
        }
        return g
    }

    private func bits(_ x: [Float]) -> [UInt32] { x.map(\.bitPattern) }

    private func store(_ pairs: [(Parameter, [Float])]) throws -> GradientStore {
        var store = GradientStore()
        for (p, g) in pairs { try store.set(Tensor(shape: p.shape, values: g), for: p.value) }
        return store
    }

    /// The touched rows of each step of the equivalence runs: row 700 only at step 1, row 10 at
    /// step 2 with an all-zero (and −0) gradient row, step 4 touching nothing, most rows never.
    private func touchedRows(rows: Int) -> [[Int]] {
        [[0, 5, 700, rows - 1], [5, 6, 1200], [0, 1, 2, 3, 5, 1999 % rows], [], Array(stride(from: 0, to: rows, by: 97))]
    }

    /// Runs the schedule on a rows×width table and a small dense parameter, comparing θ, m and v
    /// of both with the dense reference after every step.
    private func assertMatchesDenseReference(rows: Int, width: Int, weightDecay: Float,
                                             file: StaticString = #filePath, line: UInt = #line) throws {
        let lr: Float = 0.01
        let table = Parameter(name: "embeddings.word_embeddings.weight",
                              value: try Tensor(shape: [rows, width], values: values(rows * width, seed: 1)))
        let bias = Parameter(name: "pooler.bias", value: Tensor(values(width, seed: 2)))
        var tableReference = DenseReference(table.value.toArray())
        var biasReference = DenseReference(bias.value.toArray())
        let adam = try AdamW(learningRate: lr, weightDecay: weightDecay)
        for (step, touched) in touchedRows(rows: rows).enumerated() {
            var g = sparseGradient(rows: rows, width: width, touched: touched, seed: UInt64(100 + step))
            if step == 1 {   // a touched row whose gradient is exactly zero, one value −0
                for j in 0 ..< width { g[10 * width + j] = j == 1 ? -0.0 : 0 }
            }
            let biasGradient = values(width, seed: UInt64(200 + step))
            try adam.step([table, bias], gradients: store([(table, g), (bias, biasGradient)]))
            tableReference.step(g, lr: lr, weightDecay: weightDecay)
            biasReference.step(biasGradient, lr: lr, weightDecay: weightDecay)

            let state = adam.exportState()
            let context = "step \(step + 1), weight decay \(weightDecay), \(rows)×\(width)"
            XCTAssertEqual(bits(table.value.toArray()), bits(tableReference.theta), "θ, \(context)", file: file, line: line)
            XCTAssertEqual(bits(try XCTUnwrap(state.tensors["exp_avg.\(table.name)"]).toArray()), bits(tableReference.m),
                           "m, \(context)", file: file, line: line)
            XCTAssertEqual(bits(try XCTUnwrap(state.tensors["exp_avg_sq.\(table.name)"]).toArray()), bits(tableReference.v),
                           "v, \(context)", file: file, line: line)
            XCTAssertEqual(bits(bias.value.toArray()), bits(biasReference.theta), "bias θ, \(context)", file: file, line: line)
            XCTAssertEqual(bits(try XCTUnwrap(state.tensors["exp_avg.pooler.bias"]).toArray()), bits(biasReference.m),
                           "bias m, \(context)", file: file, line: line)
        }
    }

    func testSparseTableStepsEqualTheDenseFormulaBitForBit() throws {
        for weightDecay: Float in [0.1, 0] {
            try assertMatchesDenseReference(rows: 2000, width: 8, weightDecay: weightDecay)
        }
    }

    func testTableLargeEnoughToSplitAcrossThreadsEqualsTheDenseFormula() throws {
        // 3000×27 = 81000 values: the row scan and the row update are split across threads,
        // and 27 values per row exercise the eight-lane body and the scalar tail.
        try assertMatchesDenseReference(rows: 3000, width: 27, weightDecay: 0.05)
    }

    func testExportThenRestoreContinuesBitForBit() throws {
        let rows = 2000, width = 8
        let initial = values(rows * width, seed: 7)
        let schedule = touchedRows(rows: rows)
        func gradient(_ step: Int) -> [Float] {
            sparseGradient(rows: rows, width: width, touched: schedule[step], seed: UInt64(300 + step))
        }
        let straight = Parameter(name: "w", value: try Tensor(shape: [rows, width], values: initial))
        let adam = try AdamW(learningRate: 0.02, weightDecay: 0.1)
        for step in schedule.indices { try adam.step([straight], gradients: store([(straight, gradient(step))])) }

        let resumed = Parameter(name: "w", value: try Tensor(shape: [rows, width], values: initial))
        let first = try AdamW(learningRate: 0.02, weightDecay: 0.1)
        for step in 0 ..< 2 { try first.step([resumed], gradients: store([(resumed, gradient(step))])) }
        let saved = first.exportState()
        let fields = try JSONDecoder().decode(OptimizerStateFields.self, from: JSONEncoder().encode(saved.fields))
        let second = try AdamW(state: OptimizerState(fields: fields, tensors: saved.tensors))
        for step in 2 ..< schedule.count { try second.step([resumed], gradients: store([(resumed, gradient(step))])) }

        XCTAssertEqual(bits(resumed.value.toArray()), bits(straight.value.toArray()))
        let a = adam.exportState(), b = second.exportState()
        XCTAssertEqual(a.fields, b.fields)
        for key in ["exp_avg.w", "exp_avg_sq.w"] {
            XCTAssertEqual(bits(try XCTUnwrap(b.tensors[key]).toArray()), bits(try XCTUnwrap(a.tensors[key]).toArray()), key)
        }
        // The restored all-zero rows were dropped again: both hold the same rows.
        XCTAssertEqual(second.allocatedMomentRows(of: "w"), adam.allocatedMomentRows(of: "w"))
        XCTAssertLessThan(adam.allocatedMomentRows(of: "w"), rows / 10)
    }

    func testOnlyTouchedRowsOfATableHoldMoments() throws {
        let rows = 2000, width = 64
        let table = Parameter(name: "table", value: try Tensor.zeros([rows, width]))
        let small = Parameter(name: "small", value: try Tensor.zeros([10, width]))
        let bias = Parameter(name: "bias", value: try Tensor.zeros([width]))
        let adam = try AdamW(learningRate: 0.01)
        let g = sparseGradient(rows: rows, width: width, touched: [3, 1500, 1999], seed: 9)
        var smallGradient = [Float](repeating: 0, count: 10 * width)
        smallGradient[0] = 1   // one value in one row: a small parameter holds every row all the same
        try adam.step([table, small, bias], gradients: store([(table, g), (small, smallGradient), (bias, values(width, seed: 3))]))
        XCTAssertEqual(adam.allocatedMomentRows(of: "table"), 3)
        XCTAssertEqual(adam.allocatedMomentRows(of: "small"), 10)
        XCTAssertEqual(adam.allocatedMomentRows(of: "bias"), 1)
        XCTAssertEqual(adam.allocatedMomentRows(of: "absent"), 0)
        // A step touching nothing allocates nothing; a row touched once keeps its moments.
        try adam.step([table], gradients: store([(table, [Float](repeating: 0, count: rows * width))]))
        XCTAssertEqual(adam.allocatedMomentRows(of: "table"), 3)
        try adam.step([table], gradients: store([(table, sparseGradient(rows: rows, width: width, touched: [3, 4], seed: 10))]))
        XCTAssertEqual(adam.allocatedMomentRows(of: "table"), 4)
        // The export is the full table all the same.
        XCTAssertEqual(adam.exportState().tensors["exp_avg.table"]?.elementCount, rows * width)
    }

    func testATableWhoseEveryRowIsTouchedEqualsTheDenseFormula() throws {
        // A Linear weight of 1024 rows: every row has a gradient at once, so all rows are held.
        let rows = 1024, width = 8
        let weight = Parameter(name: "w", value: try Tensor(shape: [rows, width], values: values(rows * width, seed: 4)))
        var reference = DenseReference(weight.value.toArray())
        let adam = try AdamW(learningRate: 0.01, weightDecay: 0.1)
        for step in 0 ..< 3 {
            let g = sparseGradient(rows: rows, width: width, touched: step == 0 ? Array(0 ..< 600) : Array(0 ..< rows), seed: UInt64(400 + step))
            try adam.step([weight], gradients: store([(weight, g)]))
            reference.step(g, lr: 0.01, weightDecay: 0.1)
            XCTAssertEqual(adam.allocatedMomentRows(of: "w"), step == 0 ? 600 : rows)
            XCTAssertEqual(bits(weight.value.toArray()), bits(reference.theta), "step \(step + 1)")
            XCTAssertEqual(bits(try XCTUnwrap(adam.exportState().tensors["exp_avg_sq.w"]).toArray()), bits(reference.v))
        }
    }

    /// An embedding gradient names its non-zero rows (`Tensor.nonZeroRowsHint`) and AdamW then
    /// reads only those: the result must be the bits it gives the same gradient without a hint.
    func testAHintedEmbeddingGradientUpdatesLikeTheSameGradientWithoutHint() throws {
        let rows = 2048, width = 512   // 4 MiB: the size at which gradients carry the hint
        let start = values(rows * width, seed: 31)
        let hinted = Parameter(name: "table", value: try Tensor(shape: [rows, width], values: start))
        let plain = Parameter(name: "table", value: try Tensor(shape: [rows, width], values: start))
        let adamHinted = try AdamW(learningRate: 0.01), adamPlain = try AdamW(learningRate: 0.01)
        for (step, ids) in [[3, 1500, 3], [2047, 0], [3, 9]].enumerated() {
            let idTensor = try IndexTensor(shape: [ids.count], values: ids)
            let weights = try Tensor(shape: [ids.count, width], values: values(ids.count * width, seed: UInt64(40 + step)))
            let gradients = try Tensor.embedding(weight: hinted.value, ids: idTensor).mul(weights).sum().backward()
            let g = try XCTUnwrap(gradients[hinted])
            XCTAssertEqual(g.nonZeroRowsHint, Set(ids).sorted().map { Int32($0) }, "step \(step)")
            try adamHinted.step([hinted], gradients: gradients)
            try adamPlain.step([plain], gradients: store([(plain, g.toArray())]))
            XCTAssertEqual(hinted.value.toArray(), plain.value.toArray(), "weights after step \(step)")
        }
        XCTAssertEqual(adamHinted.allocatedMomentRows(of: "table"), 5)
        let a = adamHinted.exportState().tensors, b = adamPlain.exportState().tensors
        XCTAssertEqual(a["exp_avg.table"]?.toArray(), b["exp_avg.table"]?.toArray())
        XCTAssertEqual(a["exp_avg_sq.table"]?.toArray(), b["exp_avg_sq.table"]?.toArray())
    }

    func testStateFieldsAreTheExportedFields() throws {
        let table = Parameter(name: "table", value: try Tensor.zeros([1500, 4]))
        let adam = try AdamW(learningRate: 0.01, weightDecay: 0.2, excludeNoDecayParameters: true)
        try adam.step([table], gradients: store([(table, sparseGradient(rows: 1500, width: 4, touched: [7], seed: 5))]))
        XCTAssertEqual(adam.stateFields, adam.exportState().fields)
        XCTAssertEqual(adam.stateFields.steps, ["table": 1])
        let sgd = try SGD(learningRate: 0.1, momentum: 0.9)
        XCTAssertEqual(sgd.stateFields, sgd.exportState().fields, "the protocol's default")
    }
}
