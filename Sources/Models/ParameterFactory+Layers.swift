import NN
import Tensors

/// The NN layers of a transformer, made with Hugging Face's initialisation
/// (`BertPreTrainedModel._init_weights`: Linear and Embedding weights N(0, 0.02²), biases zero,
/// LayerNorm weight one and bias zero, the padding row of the word embeddings zero).
extension ParameterFactory {
    static let initializerRange: Float = 0.02

    func linear(_ name: String, in inFeatures: Int, out outFeatures: Int) throws -> Linear {
        try Linear(weight: make(name + ".weight", shape: [outFeatures, inFeatures], initial: .normal(std: Self.initializerRange)),
                   bias: make(name + ".bias", shape: [outFeatures], initial: .zeros))
    }

    func layerNorm(_ name: String, width: Int, eps: Double) throws -> LayerNorm {
        try LayerNorm(weight: make(name + ".weight", shape: [width], initial: .ones),
                      bias: make(name + ".bias", shape: [width], initial: .zeros), eps: Float(eps))
    }

    func embedding(_ name: String, count: Int, width: Int, paddingRow: Int? = nil) throws -> Embedding {
        let initial: Initial = paddingRow.map { .embedding(std: Self.initializerRange, paddingRow: $0) }
            ?? .normal(std: Self.initializerRange)
        return try Embedding(weight: make(name + ".weight", shape: [count, width], initial: initial))
    }
}
