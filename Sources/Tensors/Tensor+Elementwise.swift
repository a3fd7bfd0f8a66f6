#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Element-wise arithmetic with NumPy broadcasting, and unary functions

extension Tensor {
    func zipped<F: BinaryFunction>(_ other: Tensor, _ name: String, op: (Tensor, Tensor) -> Op,
                                   _ f: F) throws -> Tensor {
        let shape = try Shapes.broadcast(self.shape, other.shape, operation: name)
        let out = Storage(uninitializedCount: shape.reduce(1, *))
        Elementwise.binary(shape: shape,
                           a: basePointer, aStrides: Shapes.broadcastStrides(layout, to: shape),
                           b: other.basePointer, bStrides: Shapes.broadcastStrides(other.layout, to: shape),
                           out: out.base, f)
        return Tensor.result(out, shape: shape, inputs: self, other, op: op(self, other))
    }

    func mapped<F: UnaryFunction>(op: (Tensor) -> Op, _ f: F) -> Tensor {
        let out = Storage(uninitializedCount: elementCount)
        Elementwise.unary(shape: shape, a: basePointer, aStrides: strides, out: out.base, f)
        return Tensor.result(out, shape: shape, inputs: self, op: op(self))
    }

    /// Like `mapped`, for ops whose backward reads the output: it is saved detached.
    func mappedSavingOutput<F: UnaryFunction>(op: (Tensor, Tensor) -> Op, _ f: F) -> Tensor {
        let out = Storage(uninitializedCount: elementCount)
        Elementwise.unary(shape: shape, a: basePointer, aStrides: strides, out: out.base, f)
        let layout = Layout(contiguous: shape)
        return Tensor.result(out, layout: layout, inputs: [self],
                             op: op(self, Tensor(storage: out, layout: layout)))
    }

    public func add(_ other: Tensor) throws -> Tensor { try zipped(other, "add", op: Op.add, Scalar.Add()) }
    public func sub(_ other: Tensor) throws -> Tensor { try zipped(other, "sub", op: Op.sub, Scalar.Sub()) }
    public func mul(_ other: Tensor) throws -> Tensor { try zipped(other, "mul", op: Op.mul, Scalar.Mul()) }
    public func div(_ other: Tensor) throws -> Tensor { try zipped(other, "div", op: Op.div, Scalar.Div()) }

    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.add(b) }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.sub(b) }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.mul(b) }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.div(b) }

    /// x · scale + shift, element-wise.
    public func affine(scale: Float, shift: Float) -> Tensor {
        mapped(op: { .affine($0, scale: scale, shift: shift) }, Scalar.Affine(scale: scale, shift: shift))
    }

    public static func + (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: s) }
    public static func + (s: Float, a: Tensor) -> Tensor { a.affine(scale: 1, shift: s) }
    public static func - (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1, shift: -s) }
    public static func - (s: Float, a: Tensor) -> Tensor { a.affine(scale: -1, shift: s) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.affine(scale: s, shift: 0) }
    public static func * (s: Float, a: Tensor) -> Tensor { a.affine(scale: s, shift: 0) }
    /// Division by a scalar, computed as multiplication by its reciprocal.
    public static func / (a: Tensor, s: Float) -> Tensor { a.affine(scale: 1 / s, shift: 0) }
    public static prefix func - (a: Tensor) -> Tensor { a.neg() }

    public func neg() -> Tensor { affine(scale: -1, shift: 0) }

    public func exp() -> Tensor { mappedSavingOutput(op: { .exp($0, output: $1) }, Scalar.Exp()) }
    /// Natural logarithm (−inf at 0, NaN below, as in PyTorch).
    public func log() -> Tensor { mapped(op: Op.log, Scalar.Log()) }
    public func sqrt() -> Tensor { mappedSavingOutput(op: { .sqrt($0, output: $1) }, Scalar.Sqrt()) }
    /// xᵉ for a constant exponent.
    public func pow(_ exponent: Float) -> Tensor {
        if exponent == 2 { return mapped(op: { .pow($0, exponent: 2) }, Scalar.Square()) }
        return mapped(op: { .pow($0, exponent: exponent) }, Scalar.Pow(exponent: exponent))
    }
    public func tanh() -> Tensor { mappedSavingOutput(op: { .tanh($0, output: $1) }, Scalar.Tanh()) }
    public func relu() -> Tensor { mapped(op: Op.relu, Scalar.Relu()) }
    public func sigmoid() -> Tensor {
        mappedSavingOutput(op: { .sigmoid($0, output: $1) }, Scalar.Sigmoid())
    }

    /// Values limited to [low, high] (`torch.clamp`); e.g. `clamp(low: 1e-12)` before a division.
    public func clamp(low: Float = -.infinity, high: Float = .infinity) throws -> Tensor {
        guard !(low > high) else {
            throw TensorError.invalidArgument(operation: "clamp", reason: "low \(low) is above high \(high)")
        }
        return mapped(op: { .clamp($0, low: low, high: high) }, Scalar.Clamp(low: low, high: high))
    }

    /// GELU, erf form: x · ½ · (1 + erf(x / √2)), as `torch.nn.functional.gelu` (approximate='none').
    public func gelu() -> Tensor {
        mapped(op: Op.gelu, Scalar.Gelu())
    }
}

