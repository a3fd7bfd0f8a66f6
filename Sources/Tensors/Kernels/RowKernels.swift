#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kernels that work row by row over the contiguous last dimension: softmax, log-softmax and
/// layer norm. Rows are split across cores; each row is computed by one thread.
enum RowKernels {
    /// y = exp(x − max) / Σ exp(x − max) per row (the max shift keeps exp finite).
    static func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        Parallel.forRanges(rows, cost: width * 8) { range in
            for r in range {
                let src = x + r * width, dst = y + r * width
                var maxValue = -Float.infinity
                for j in 0..<width { maxValue = Swift.max(maxValue, src[j]) }
                if maxValue == -.infinity { maxValue = 0 }
                expShifted(src, dst, width, maxValue)
                let inverse = 1 / Reduction.rowSum(dst, width)
                for j in 0..<width { dst[j] *= inverse }
            }
        }
    }

    /// y = x − max − log Σ exp(x − max) per row.
    static func logSoftmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        Parallel.forRanges(rows, cost: width * 8) { range in
            for r in range {
                let src = x + r * width, dst = y + r * width
                var maxValue = -Float.infinity
                for j in 0..<width { maxValue = Swift.max(maxValue, src[j]) }
                if maxValue == -.infinity { maxValue = 0 }
                expShifted(src, dst, width, maxValue)
                let shift = maxValue + logf(Reduction.rowSum(dst, width))
                for j in 0..<width { dst[j] = src[j] - shift }
            }
        }
    }

    /// dst[j] = exp(src[j] − shift) with the eight-lane exp (tails too, so a value does not
    /// depend on its position in the row).
    @inline(__always)
    static func expShifted(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ width: Int, _ shift: Float) {
        var j = 0
        while j + 8 <= width {
            let v = UnsafeRawPointer(src + j).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(dst + j).storeBytes(of: VectorMath.exp(v - shift), as: SIMD8<Float>.self)
            j += 8
        }
        while j < width {
            dst[j] = VectorMath.exp(SIMD8(repeating: src[j] - shift))[0]
            j += 1
        }
    }

    /// y = (x − mean) · rstd · weight + bias per row, rstd = 1/√(biased var + eps), as
    /// `torch.nn.functional.layer_norm`. Writes the row statistics for the backward.
    static func layerNorm(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, width: Int,
                          weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, eps: Float,
                          mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>) {
        Parallel.forRanges(rows, cost: width * 4) { range in
            for r in range {
                let src = x + r * width, dst = y + r * width
                let mu = Reduction.rowSum(src, width) / Float(width)
                for j in 0..<width { dst[j] = (src[j] - mu) * (src[j] - mu) }
                let variance = Reduction.rowSum(dst, width) / Float(width)
                let s = 1 / (variance + eps).squareRoot()
                mean[r] = mu
                rstd[r] = s
                switch (weight, bias) {
                case let (w?, b?): for j in 0..<width { dst[j] = (src[j] - mu) * s * w[j] + b[j] }
                case let (w?, nil): for j in 0..<width { dst[j] = (src[j] - mu) * s * w[j] }
                case let (nil, b?): for j in 0..<width { dst[j] = (src[j] - mu) * s + b[j] }
                case (nil, nil): for j in 0..<width { dst[j] = (src[j] - mu) * s }
                }
            }
        }
    }

    /// Layer-norm backward. With x̂ = (x − mean)·rstd and ĝ = g·weight:
    /// dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)); dweight = Σ_rows g·x̂; dbias = Σ_rows g.
    /// The column sums run column-parallel so their order does not depend on the thread count.
    static func layerNormBackward(x: UnsafePointer<Float>, g: UnsafePointer<Float>, rows: Int, width: Int,
                                  weight: UnsafePointer<Float>?, mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
                                  dx: UnsafeMutablePointer<Float>?, dWeight: UnsafeMutablePointer<Float>?,
                                  dBias: UnsafeMutablePointer<Float>?) {
        if let dx {
            // A missing weight is a weight of ones (kept out of the inner loop).
            let ones = weight == nil ? [Float](repeating: 1, count: width) : []
            ones.withUnsafeBufferPointer { onesBuffer in
                guard let w = weight ?? onesBuffer.baseAddress else { return }
                Parallel.forRanges(rows, cost: width * 6) { range in
                    for r in range {
                        let xr = x + r * width, gr = g + r * width, out = dx + r * width
                        let mu = mean[r], s = rstd[r]
                        var sumG: Float = 0, sumGX: Float = 0
                        for j in 0..<width {
                            let gh = gr[j] * w[j]
                            sumG += gh
                            sumGX += gh * (xr[j] - mu) * s
                        }
                        let meanG = sumG / Float(width), meanGX = sumGX / Float(width)
                        for j in 0..<width {
                            out[j] = s * (gr[j] * w[j] - meanG - (xr[j] - mu) * s * meanGX)
                        }
                    }
                }
            }
        }
        if dWeight != nil || dBias != nil {
            Parallel.forRanges(width, cost: rows * 2) { cols in
                for j in cols {
                    dWeight?[j] = 0
                    dBias?[j] = 0
                }
                for r in 0..<rows {
                    let xr = x + r * width, gr = g + r * width
                    let mu = mean[r], s = rstd[r]
                    if let dWeight { for j in cols { dWeight[j] += gr[j] * (xr[j] - mu) * s } }
                    if let dBias { for j in cols { dBias[j] += gr[j] } }
                }
            }
        }
    }
}
