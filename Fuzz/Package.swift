// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for ExamKit's parsers of outside input. Built only by Tools/fuzz (`make fuzz`), with
// `-sanitize=fuzzer,address -parse-as-library`. Each target is one callback over one parser, started by
// `FuzzEntry.run` from `<target>_main`: SwiftPM links an executable's `main` to that symbol (testable executables),
// which `-parse-as-library` would otherwise leave undefined (swiftlang/swift#75800).
let package = Package(
  name: "ExamKitFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [.package(name: "ExamKit", path: "..")],
  targets: [
    .target(name: "CFuzzDriver", path: "Sources/CFuzzDriver"),
    .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"], path: "Sources/FuzzSupport"),
    .executableTarget(
      name: "fuzz-csv", dependencies: ["FuzzSupport", .product(name: "ExamKitParsers", package: "ExamKit")],
      path: "Sources/fuzz-csv"),
    .executableTarget(
      name: "fuzz-seat-event", dependencies: ["FuzzSupport", .product(name: "ExamKitParsers", package: "ExamKit")],
      path: "Sources/fuzz-seat-event"),
    .executableTarget(
      name: "fuzz-pack-yaml", dependencies: ["FuzzSupport", .product(name: "ExamKitParsers", package: "ExamKit")],
      path: "Sources/fuzz-pack-yaml"),
    .executableTarget(
      name: "fuzz-centres-yaml", dependencies: ["FuzzSupport", .product(name: "ExamKitParsers", package: "ExamKit")],
      path: "Sources/fuzz-centres-yaml"),
    .executableTarget(
      name: "fuzz-pack-zip", dependencies: ["FuzzSupport", .product(name: "ExamKitParsers", package: "ExamKit")],
      path: "Sources/fuzz-pack-zip"),
    .executableTarget(
      name: "fuzz-audio", dependencies: ["FuzzSupport", .product(name: "ExamKitParsers", package: "ExamKit")],
      path: "Sources/fuzz-audio"),
  ],
  swiftLanguageModes: [.v6]
)
