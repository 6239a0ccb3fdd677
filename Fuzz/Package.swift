// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for ExamKit's parsers of outside input. Built only by Tools/fuzz (`make fuzz`), with
// `-sanitize=fuzzer,address -parse-as-library`. Each target is one callback over one parser, started by
// `FuzzEntry.run` from `<target>_main`: SwiftPM links an executable's `main` to that symbol (testable executables),
// which `-parse-as-library` would otherwise leave undefined (swiftlang/swift#75800).
/// One executable per parser: Sources/<name>/ holds its `LLVMFuzzerTestOneInput`.
let fuzzTargets = ["fuzz-csv", "fuzz-seat-event", "fuzz-pack-yaml", "fuzz-centres-yaml", "fuzz-pack-zip", "fuzz-audio"]

let package = Package(
  name: "ExamKitFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [.package(name: "ExamKit", path: "..")],
  targets: [
    .target(name: "CFuzzDriver", path: "Sources/CFuzzDriver"),
    .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"], path: "Sources/FuzzSupport"),
  ]
    + fuzzTargets.map { name in
      .executableTarget(
        name: name, dependencies: ["FuzzSupport", .product(name: "ExamKitParsers", package: "ExamKit")],
        path: "Sources/\(name)")
    },
  swiftLanguageModes: [.v6]
)
