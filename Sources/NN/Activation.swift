import Tensors

/// The element-wise non-linearities of the models.
public enum Activation: String, CaseIterable, Sendable {
    /// The exact erf form, `torch.nn.functional.gelu(approximate="none")` (HF `"gelu"`).
    case gelu
    case relu
    case tanh

    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .gelu: return x.gelu()
        case .relu: return x.relu()
        case .tanh: return x.tanh()
        }
    }
}
