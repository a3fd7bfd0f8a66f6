// swift-tools-version:6.0
import PackageDescription

// Module layout: see docs/ARCHITECTURE.md. Lower targets never import higher ones.

// The tensor kernels (GELU, softmax, layer norm, element-wise) are 8-lane SIMD code; built for
// baseline x86-64 they run on 4-lane SSE without FMA. Release builds on x86-64 target Haswell
// (AVX2 + FMA, every x86-64 CPU since 2013-2015): GELU 3.8x faster (docs/PERFORMANCE.md).
#if arch(x86_64)
let tensorCPU = ["-target-cpu", "haswell"]
#else
let tensorCPU: [String] = []
#endif
let package = Package(
    name: "mtl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mtl", targets: ["mtl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries. The BLAS choice lives here and in Scripts/bootstrap only.
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),

        // Plain C loops compiled -O2: the baseline `mtl bench --kernels` compares the engine with.
        .target(name: "KernelBaseline", cSettings: [.unsafeFlags(["-O2"])]),
        // AVX-512 matrix-product kernels (C: Swift cannot name 512-bit intrinsics), optimised in
        // every configuration so debug test runs stay quick; contraction off so that only the
        // explicit FMAs fuse (GemmKernels.c).
        .target(name: "GemmKernels", cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]),
        // Compute threads that start a job within microseconds (C11 atomics; see WorkerPool.h).
        .target(name: "WorkerPool", cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "Tensors", dependencies: ["CBLAS", "KernelBaseline", "GemmKernels", "WorkerPool"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"] + tensorCPU, .when(configuration: .release))]),
        .target(name: "NN", dependencies: ["Tensors"]),
        .target(name: "Tokenizers"),
        .target(name: "Models", dependencies: ["Tensors", "NN", "Tokenizers"]),
        .target(name: "Training", dependencies: ["Models", "NN", "Tensors", "Tokenizers"]),
        .target(name: "Script"),
        .target(name: "Shell", dependencies: ["Script", "Training", "Models", "NN", "Tensors", "Tokenizers", "CEditLine"]),
        .executableTarget(name: "mtl", dependencies: [
            "Shell", "Script", "Training", "Models", "Tokenizers", "Tensors",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .target(name: "TestSupport", dependencies: ["Tensors"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TestSupport", "CBLAS", "GemmKernels"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "TestSupport"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TestSupport"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "TestSupport"]),
        .testTarget(name: "ScriptTests", dependencies: ["Script", "TestSupport"], exclude: ["Scripts"]),
        .testTarget(name: "ShellTests", dependencies: ["Shell", "TestSupport", "CEditLine", "mtl"]),
    ]
)
