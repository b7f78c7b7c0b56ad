// swift-tools-version: 6.0
import PackageDescription

// Dependencies point one way:
// CDNNL → ImpastoCore (tensor, autodiff, oneDNN ops) → ImpastoModels (VGG19, weight files)
// → ImpastoStyle (losses, optimisers, engines) → impasto (CLI).
// ImpastoImage (libvips I/O, optical flow through COpenCVFlow) depends only on ImpastoCore.
// ImpastoStudio (the web studio: Hummingbird, GRDB) sits beside the CLI, on the same pipeline.
let package = Package(
    name: "Impasto",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ImpastoCore", targets: ["ImpastoCore"]),
        .library(name: "ImpastoModels", targets: ["ImpastoModels"]),
        .library(name: "ImpastoStyle", targets: ["ImpastoStyle"]),
        .library(name: "ImpastoImage", targets: ["ImpastoImage"]),
        .library(name: "ImpastoStudio", targets: ["ImpastoStudio"]),
        .executable(name: "impasto", targets: ["impasto"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // MARK: C shims
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "CLibVips", path: "Sources/CLibVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        .target(name: "CVipsShim", dependencies: ["CLibVips"], exclude: ["README.md"]),
        // Debian's libopencv-video-dev ships no opencv4.pc (only libopencv-dev, which pulls all of
        // OpenCV, does), so the header path and libraries are named here.
        .target(
            name: "COpenCVFlow",
            exclude: ["README.md"],
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4"])],
            linkerSettings: [.linkedLibrary("opencv_video"), .linkedLibrary("opencv_imgproc"),
                             .linkedLibrary("opencv_core"), .linkedLibrary("stdc++")]
        ),

        // MARK: Library
        .target(
            name: "ImpastoCore",
            dependencies: ["CDNNL"]
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
        .target(name: "ImpastoStyle", dependencies: ["ImpastoCore", "ImpastoModels", "ImpastoImage"]),
        .target(name: "ImpastoImage", dependencies: ["ImpastoCore", "CVipsShim", "COpenCVFlow"]),
        .target(
            name: "ImpastoStudio",
            dependencies: [
                "ImpastoCore", "ImpastoModels", "ImpastoStyle", "ImpastoImage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Page")]
        ),
        .target(name: "ImpastoBenchmarks",
                dependencies: ["ImpastoCore", "ImpastoModels", "ImpastoStyle", "ImpastoImage", "CDNNL"]),

        // MARK: Executable
        .executableTarget(
            name: "impasto",
            dependencies: [
                "ImpastoCore", "ImpastoModels", "ImpastoStyle", "ImpastoImage", "ImpastoBenchmarks", "ImpastoStudio",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // MARK: Tests
        .target(name: "_TestSupport", dependencies: ["ImpastoCore", "ImpastoModels"], path: "Tests/_TestSupport"),
        .testTarget(name: "ImpastoCoreTests", dependencies: ["ImpastoCore", "_TestSupport"]),
        .testTarget(name: "ImpastoModelsTests", dependencies: ["ImpastoModels", "_TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ImpastoStyleTests", dependencies: ["ImpastoStyle", "ImpastoImage", "_TestSupport"]),
        .testTarget(name: "ImpastoCLITests", dependencies: ["impasto", "_TestSupport"]),
        .testTarget(name: "ImpastoImageTests", dependencies: ["ImpastoImage", "_TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ImpastoBenchmarksTests", dependencies: ["ImpastoBenchmarks"]),
        .testTarget(
            name: "ImpastoStudioTests",
            dependencies: [
                "ImpastoStudio", "_TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
            ]
        ),
    ]
)
