// swift-tools-version:6.1
import PackageDescription

// Benchmarks of ExamKit's hot paths (ordo-one/benchmark). Run from this folder:
//   swift package benchmark --target DSPBenchmarks
let package = Package(
  name: "ExamKitBenchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(name: "ExamKit", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "DSPBenchmarks",
      dependencies: [
        .product(name: "ExamKit", package: "ExamKit"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "DSPBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
  ]
)
