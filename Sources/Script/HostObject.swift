/// An object the host (the Shell) hands to scripts: an encoder, a model, a dataset, a tensor…
///
/// The language knows nothing about what these are; it prints them with `summary`, reads and
/// writes attributes through them and, if they allow it, indexes and slices them. Every method
/// but `typeName` and `summary` has a default that says the operation is not supported.
/// Errors thrown here should be `ScriptError.runtime(...)` (any other error is shown by its
/// description); the interpreter adds the source location.
public protocol HostObject: AnyObject {
    /// The type name shown by `type(x)` and in messages: "encoder", "model", "tensor".
    var typeName: String { get }
    /// One line describing the object, printed at the prompt and by `print`.
    var summary: String { get }
    /// Names offered for completion after `x.` and listed by `help x`.
    var attributeNames: [String] { get }
    /// The attribute `name`, or nil when there is none (the interpreter reports it).
    func attribute(_ name: String) throws -> Value?
    /// Sets attribute `name` (`x.name = value`); throw to refuse.
    func setAttribute(_ name: String, to value: Value) throws
    /// `x[key]`.
    func element(at key: Value) throws -> Value
    /// `x[key] = value`.
    func setElement(at key: Value, to value: Value) throws
    /// `x[lower:upper]` with either bound omitted; bounds may be negative.
    func slice(lower: Int?, upper: Int?) throws -> Value
    /// The length for `len(x)` and `for … in x` (nil when the object is not a sequence).
    var count: Int? { get }
    /// A fuller description for `help x` (defaults to `summary`).
    var helpText: String { get }
}

extension HostObject {
    public var attributeNames: [String] { [] }
    public func attribute(_ name: String) throws -> Value? { nil }
    public func setAttribute(_ name: String, to value: Value) throws {
        throw ScriptError.runtime("cannot set attribute '\(name)' of \(article(typeName))")
    }
    public func element(at key: Value) throws -> Value {
        throw ScriptError.runtime("\(article(typeName)) cannot be indexed")
    }
    public func setElement(at key: Value, to value: Value) throws {
        throw ScriptError.runtime("cannot assign to an element of \(article(typeName))")
    }
    public func slice(lower: Int?, upper: Int?) throws -> Value {
        throw ScriptError.runtime("\(article(typeName)) cannot be sliced")
    }
    public var count: Int? { nil }
    public var helpText: String { summary }
}
