import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark encoding, training and matrix products. Not built yet."
    )

    func run() throws {
        throw ValidationError("`mtl bench` is not built yet")
    }
}
