import Tensors

/// AdamW's two moment buffers (`exp_avg` m and `exp_avg_sq` v) for one parameter, held only for
/// the rows of a large table that ever had a non-zero gradient.
///
/// A word-embedding table is most of a small encoder (all-MiniLM-L6-v2: 30522×384 = 11.7 M of
/// 22.7 M parameters), yet a fine-tuning run reaches only the rows of the tokens in its data;
/// dense moments for it would be 94 MB of zeros. Leaving a row out is exact, not an
/// approximation: while a row's m, v and gradient are all 0, AdamW's update there is
/// m' = fma(w, 0 − 0, 0) = 0, v' = 0·β₂ + s·0·0 = 0 and θ' = θ·d + k·0/(0/c + ε) = θ·d + (−0) =
/// θ·d, bit for bit what the dense kernel computes (and what `torch.optim.AdamW` computes), so
/// an unallocated row is a row of zeros that only decays. Once a row has had a non-zero
/// gradient its m is non-zero, so allocated rows stay allocated.
///
/// Layout: for a lazy table, `slotOfRow` maps each row to its slot in `m` and `v` (or
/// `AdamWKernel.unallocatedRow`), `rowOfSlot` is the inverse, and slots are appended as rows are
/// first touched (in row order within a step). When every row is allocated, the store turns
/// dense (slot = row) and uses the plain contiguous kernel from then on. Small parameters are
/// dense from the start.
struct RowMoments {
    /// Rows of at least 2-dimensional parameters with this many rows or more are allocated on
    /// first use. Word-embedding tables have tens of thousands of rows (BERT's 30522) of which a
    /// run touches a few hundred to a few thousand; everything else in a BERT-sized encoder is
    /// either small (position and token-type tables, biases, LayerNorm) or a Linear weight, whose
    /// every row has a gradient at the first step, so it turns dense at once. 1024 rows keeps
    /// the lazy layout for tables big enough for the saving to matter (a 1024×384 table's
    /// moments are 3 MB) and away from the many small parameters that gain nothing.
    static let minimumLazyRows = 1024

    /// Rows, and values per row; a 1-dimensional parameter is one row.
    let rowCount: Int
    let rowLength: Int
    /// Row → slot, `AdamWKernel.unallocatedRow` for a row never touched; empty when dense.
    private var slotOfRow: [Int32]
    /// Slot → row, for the allocated rows of a lazy store; empty when dense.
    private var rowOfSlot: [Int32]
    /// `exp_avg` and `exp_avg_sq` by slot (by row when dense), `rowLength` values each.
    private var m: [Float]
    private var v: [Float]

    /// Whether every row's moments are held, slot = row.
    var isDense: Bool { slotOfRow.isEmpty }
    /// Values of the parameter the moments are for.
    var elementCount: Int { rowCount * rowLength }
    /// Rows whose moments are held.
    var allocatedRows: Int { isDense ? rowCount : rowOfSlot.count }

    /// Rows and row length of a parameter of `shape` (the first dimension is the rows).
    private static func rows(of shape: [Int]) -> (count: Int, length: Int) {
        guard shape.count >= 2, let first = shape.first, first > 0 else {
            return (1, shape.reduce(1, *))
        }
        return (first, shape.reduce(1, *) / first)
    }

    /// Whether a parameter of `shape` gets the lazy layout.
    static func isLazy(_ shape: [Int]) -> Bool {
        shape.count >= 2 && rows(of: shape).count >= minimumLazyRows
    }

    /// Zero moments for a parameter of `shape`: no rows allocated for a large table, dense zeros otherwise.
    init(shape: [Int]) {
        (rowCount, rowLength) = Self.rows(of: shape)
        if Self.isLazy(shape) {
            slotOfRow = [Int32](repeating: AdamWKernel.unallocatedRow, count: rowCount)
            m = []
            v = []
        } else {
            slotOfRow = []
            m = [Float](repeating: 0, count: rowCount * rowLength)
            v = m
        }
        rowOfSlot = []
    }

    /// Moments from dense buffers in row-major order (a restored state) for a parameter of
    /// `shape`; for a large table, the rows whose m and v are all +0.0 become unallocated (the
    /// same values, see the type's comment). `m` and `v` must hold the parameter's element count.
    init(dense m: [Float], _ v: [Float], shape: [Int]) {
        (rowCount, rowLength) = Self.rows(of: shape)
        precondition(m.count == rowCount * rowLength && v.count == m.count, "moment buffers do not fit the shape")
        slotOfRow = []
        rowOfSlot = []
        self.m = m
        self.v = v
        guard Self.isLazy(shape) else { return }
        var slots = [Int32](repeating: AdamWKernel.unallocatedRow, count: rowCount)
        var rows: [Int32] = []
        for row in 0 ..< rowCount {
            let values = row * rowLength ..< (row + 1) * rowLength
            if m[values].contains(where: { $0.bitPattern != 0 }) || v[values].contains(where: { $0.bitPattern != 0 }) {
                slots[row] = Int32(rows.count)
                rows.append(Int32(row))
            }
        }
        guard rows.count < rowCount else { return }   // every row in use: stay dense
        var compactM: [Float] = [], compactV: [Float] = []
        compactM.reserveCapacity(rows.count * rowLength)
        compactV.reserveCapacity(rows.count * rowLength)
        for row in rows {
            let values = Int(row) * rowLength ..< (Int(row) + 1) * rowLength
            compactM.append(contentsOf: m[values])
            compactV.append(contentsOf: v[values])
        }
        slotOfRow = slots
        rowOfSlot = rows
        self.m = compactM
        self.v = compactV
    }

    /// The moments laid out for a parameter of `shape` with the same element count: `self`
    /// when the rows already match (the usual case), else re-laid out through dense buffers
    /// (a state restored before the parameter's shape was known is one flat row).
    func laidOut(for shape: [Int]) -> RowMoments {
        let (count, length) = Self.rows(of: shape)
        guard count != rowCount || length != rowLength else { return self }
        let (m, v) = dense()
        return RowMoments(dense: m, v, shape: shape)
    }

    /// `exp_avg` and `exp_avg_sq` for every row in row-major order, zeros for unallocated rows.
    func dense() -> (m: [Float], v: [Float]) {
        if isDense { return (m, v) }
        var denseM = [Float](repeating: 0, count: elementCount)
        var denseV = denseM
        for (slot, row) in rowOfSlot.enumerated() {
            let to = Int(row) * rowLength, from = slot * rowLength
            denseM.replaceSubrange(to ..< to + rowLength, with: m[from ..< from + rowLength])
            denseV.replaceSubrange(to ..< to + rowLength, with: v[from ..< from + rowLength])
        }
        return (denseM, denseV)
    }

    /// One AdamW step of the parameter `theta` with gradient `g` (both `elementCount` values,
    /// row-major): unallocated rows with a zero gradient only decay, rows with a gradient for
    /// the first time get zero moments, then every allocated row takes the full update.
    /// `nonZeroRows`: when the gradient is known to be zero outside these rows
    /// (`Tensor.nonZeroRowsHint`), the other rows of `g` are not read.
    mutating func update(theta: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeBufferPointer<Float>,
                         nonZeroRows: [Int32]? = nil, _ c: AdamWKernel.Coefficients) {
        precondition(theta.count == elementCount && g.count == elementCount, "buffers do not fit the moments")
        guard let thetaBase = theta.baseAddress, let gBase = g.baseAddress else { return }
        if !isDense {
            let rowCount = self.rowCount, rowLength = self.rowLength
            // Rows the hint leaves out hold zeros: never read, so their pages are never touched.
            let candidates = nonZeroRows.map { rows in
                var marks = [Bool](repeating: false, count: rowCount)
                for row in rows where row >= 0 && Int(row) < rowCount { marks[Int(row)] = true }
                return marks
            }
            slotOfRow.withUnsafeMutableBufferPointer { slots in
                (candidates ?? []).withUnsafeBufferPointer { marks in
                    guard let slots = slots.baseAddress else { return }
                    AdamWKernel.markTouchedRows(rowCount: rowCount, rowLength: rowLength, slotOfRow: slots,
                                                theta: thetaBase, g: gBase, decayFactor: c.decayFactor,
                                                candidates: candidates == nil ? nil : marks.baseAddress)
                }
            }
            allocateTouchedRows()
        }
        let dense = isDense, count = elementCount, rowLength = self.rowLength
        rowOfSlot.withUnsafeBufferPointer { rows in
            m.withUnsafeMutableBufferPointer { m in
                v.withUnsafeMutableBufferPointer { v in
                    guard let m = m.baseAddress, let v = v.baseAddress else { return }   // nothing allocated
                    if dense {
                        AdamWKernel.update(count: count, theta: thetaBase, m: m, v: v, g: gBase, c)
                    } else if let slots = rows.baseAddress {
                        AdamWKernel.updateRows(slotCount: rows.count, rowLength: rowLength, rowOfSlot: slots,
                                               theta: thetaBase, m: m, v: v, g: gBase, c)
                    }
                }
            }
        }
    }

    /// Gives the rows `markTouchedRows` marked a slot with zero moments, in row order; when that
    /// allocates every row, turns the store dense (slot = row).
    private mutating func allocateTouchedRows() {
        var touched: [Int32] = []
        for row in 0 ..< rowCount where slotOfRow[row] == AdamWKernel.touchedRow { touched.append(Int32(row)) }
        guard !touched.isEmpty else { return }
        if rowOfSlot.count + touched.count == rowCount {
            (m, v) = dense()   // the touched rows get their zeros there
            slotOfRow = []
            rowOfSlot = []
            return
        }
        for row in touched {
            slotOfRow[Int(row)] = Int32(rowOfSlot.count)
            rowOfSlot.append(row)
        }
        m.append(contentsOf: repeatElement(0, count: touched.count * rowLength))
        v.append(contentsOf: repeatElement(0, count: touched.count * rowLength))
    }
}
