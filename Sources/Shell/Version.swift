/// The version `mtl --version` and the REPL banner print.
public enum MTLVersion {
    public static let string = "0.1.0"
}
