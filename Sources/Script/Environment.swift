/// One scope: the names bound in it and the scope around it.
///
/// The global scope and one scope per function call; blocks (`if`, `for`, `while`) do not
/// open scopes. Assignment rebinds the name in the innermost scope that already has it, and
/// otherwise creates it in the current scope; that is what lets closures keep state. A function
/// never rebinds a global by assignment (Python's rule): a helper's `total = 0` makes a local
/// and leaves the caller's `total` alone.
public final class Environment {
    public let enclosing: Environment?
    private(set) var values: [String: Value] = [:]
    /// Names in the order they were first bound (so `vars` lists them as the user made them).
    private(set) var order: [String] = []

    public init(enclosing: Environment? = nil) {
        self.enclosing = enclosing
    }

    /// The value bound to `name` here or in an enclosing scope.
    public func lookup(_ name: String) -> Value? {
        var scope: Environment? = self
        while let s = scope {
            if let v = s.values[name] { return v }
            scope = s.enclosing
        }
        return nil
    }

    /// Binds `name` in this scope (parameters, loop variables, `def`).
    public func define(_ name: String, _ value: Value) {
        if values.updateValue(value, forKey: name) == nil { order.append(name) }
    }

    /// Rebinds `name` where it already lives (searching function scopes, never the global one
    /// from inside a function), or defines it here.
    public func assign(_ name: String, _ value: Value) {
        var scope: Environment? = self
        while let s = scope {
            if s.enclosing == nil && s !== self { break }
            if s.values[name] != nil {
                s.values[name] = value
                return
            }
            scope = s.enclosing
        }
        define(name, value)
    }

    /// Removes `name` from this scope.
    public func remove(_ name: String) {
        if values.removeValue(forKey: name) != nil { order.removeAll { $0 == name } }
    }

    /// The bindings of this scope, in the order they were made.
    public var bindings: [(name: String, value: Value)] {
        order.compactMap { name in values[name].map { (name, $0) } }
    }
}
