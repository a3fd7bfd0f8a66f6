import Tensors

/// Makes a model's parameters while it is built, from a checkpoint or from seeded random values
/// (candle's `VarBuilder`): each layer asks for a tensor by its checkpoint name and shape.
///
/// From a checkpoint, a missing or mis-shaped tensor is recorded (and a zero placeholder
/// returned) so that `finish()` can report every problem at once, by name.
final class ParameterFactory {
    /// How a parameter is initialised when no checkpoint gives it (transformers' `_init_weights`).
    enum Initial {
        /// N(0, std²), e.g. Linear and Embedding weights with `initializer_range` 0.02.
        case normal(std: Float)
        /// N(0, std²) with row `paddingRow` zeroed (`nn.Embedding(padding_idx=…)`).
        case embedding(std: Float, paddingRow: Int)
        case zeros
        case ones
        /// Fixed values (e.g. DistilBERT's sinusoidal position table).
        case values([Float])
    }

    enum Source {
        case checkpoint(SafetensorsFile, keyPrefix: String)
        case random(SeededGenerator)
    }

    private var source: Source
    /// Prepended to every `Parameter.name` (e.g. `encoder.` inside a sentence encoder).
    let namePrefix: String
    private(set) var missing: [String] = []
    private(set) var misShaped: [ShapeMismatch] = []
    private(set) var used: Set<String> = []

    init(source: Source, namePrefix: String = "") {
        self.source = source
        self.namePrefix = namePrefix
    }

    /// The parameter called `name` (checkpoint-relative), of `shape`.
    func make(_ name: String, shape: [Int], initial: Initial, trainable: Bool = true) throws -> Parameter {
        let count = shape.reduce(1, *)
        var values: [Float]
        switch source {
        case let .checkpoint(file, keyPrefix):
            let key = keyPrefix + name
            if let entry = file.entry(key) {
                used.insert(key)
                if entry.shape == shape {
                    // Straight into the parameter's storage (no intermediate array).
                    return Parameter(name: namePrefix + name, value: try file.tensor(key), requiresGrad: trainable)
                } else {
                    misShaped.append(ShapeMismatch(name: key, expected: shape, found: entry.shape))
                    values = Array(repeating: 0, count: count)
                }
            } else {
                missing.append(key)
                values = Array(repeating: 0, count: count)
            }
        case var .random(generator):
            if case let .values(given) = initial, given.count != count {
                throw TensorError.elementCountMismatch(shape: shape, count: given.count)
            }
            // Drawn straight into the parameter's storage: no array the size of the tensor.
            let value = try Tensor(shape: shape) { buffer in
                Self.initialize(buffer, initial, shape: shape, generator: &generator)
            }
            source = .random(generator)
            return Parameter(name: namePrefix + name, value: value, requiresGrad: trainable)
        }
        return Parameter(name: namePrefix + name, value: try Tensor(shape: shape, values: values),
                         requiresGrad: trainable)
    }

    /// Writes the initial values into `buffer` (row-major), drawing from `generator` in order.
    private static func initialize(_ buffer: UnsafeMutableBufferPointer<Float>, _ initial: Initial, shape: [Int],
                                   generator: inout SeededGenerator) {
        switch initial {
        case let .normal(std):
            for i in buffer.indices { buffer[i] = std * generator.nextNormal() }
        case let .embedding(std, paddingRow):
            for i in buffer.indices { buffer[i] = std * generator.nextNormal() }
            let width = shape.last ?? 0
            if shape.count == 2, paddingRow >= 0, paddingRow < shape[0] {
                for i in paddingRow * width ..< (paddingRow + 1) * width { buffer[i] = 0 }
            }
        case .zeros: buffer.update(repeating: 0)
        case .ones: buffer.update(repeating: 1)
        case let .values(values):
            for i in buffer.indices { buffer[i] = values[i] }  // sizes checked by `make`
        }
    }

    /// Names in the checkpoint that no parameter asked for (e.g. `pooler.*`), sorted.
    var unused: [String] {
        guard case let .checkpoint(file, _) = source else { return [] }
        return file.names.filter { !used.contains($0) }
    }

    /// Throws `ModelError.incompatibleWeights` listing every missing and mis-shaped tensor.
    func finish() throws {
        guard case let .checkpoint(file, _) = source, !(missing.isEmpty && misShaped.isEmpty) else { return }
        throw ModelError.incompatibleWeights(file: file.file, missing: missing, misShaped: misShaped)
    }
}
