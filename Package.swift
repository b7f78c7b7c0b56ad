// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way:
// CDNNL → ImpastoCore (tensor, autodiff, oneDNN ops) → ImpastoModels (VGG19, weight files)
// → ImpastoStyle (losses, optimisers, engines) → impasto (CLI).
// ImpastoImage (libvips I/O) depends only on ImpastoCore.
let package = Package(
    name: "Impasto",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ImpastoCore", targets: ["ImpastoCore"]),
        .library(name: "ImpastoModels", targets: ["ImpastoModels"]),
        .library(name: "ImpastoStyle", targets: ["ImpastoStyle"]),
        .executable(name: "impasto", targets: ["impasto"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // MARK: C shims
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),

        // MARK: Library
        .target(
            name: "ImpastoCore",
            dependencies: ["CDNNL", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "ImpastoModels",
            dependencies: [
                "ImpastoCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "ImpastoStyle", dependencies: ["ImpastoCore", "ImpastoModels"]),
        .target(name: "ImpastoBenchmarks", dependencies: ["ImpastoCore", "ImpastoModels", "ImpastoStyle", "CDNNL"]),

        // MARK: Executable
        .executableTarget(
            name: "impasto",
            dependencies: [
                "ImpastoCore", "ImpastoModels", "ImpastoStyle", "ImpastoBenchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests
        .target(name: "_TestSupport", dependencies: ["ImpastoCore", "ImpastoModels"], path: "Tests/_TestSupport"),
        .testTarget(name: "ImpastoCoreTests", dependencies: ["ImpastoCore", "_TestSupport"]),
        .testTarget(name: "ImpastoModelsTests", dependencies: ["ImpastoModels", "_TestSupport"]),
        .testTarget(name: "ImpastoStyleTests", dependencies: ["ImpastoStyle", "_TestSupport"]),
    ]
)
