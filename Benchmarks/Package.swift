// swift-tools-version:6.1
import PackageDescription

// Every benchmark of ExamKit, outside the main build (jemalloc-free: the MallocInterposer trait).
// Run from this folder:
//   swift package benchmark --target DSPBenchmarks                 package benchmarks (ordo-one/benchmark)
//   swift package --allow-writing-to-package-directory benchmark thresholds update --target DSPBenchmarks
//                                                                  records Thresholds/ (committed)
//   swift package benchmark thresholds check --target DSPBenchmarks   fails on a regression against Thresholds/
//   swift build -c release --product bench-allocate                the bench executables of Tools/*.sh
//   swift build -c release --product proctor-bench
//   swift build -c release --product ingest-bench
//   swift build -c release --product records-bench-seed
//   swift build -c release --product pron-eval                     pronunciation vs speechocean762's phone marks
//   swift build -c release --product voice-eval                    the voice-change rule and the encoder's speed
//   swift build -c release --product desk-bench-seed               seeds and checks Tools/bench-desk.sh's store
//   swift build -c release --product queue-bench                   the PostgreSQL work queue (Tools/bench-scale-out.sh)
let package = Package(
  name: "ExamKitBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "ExamKit", path: ".."),
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // MARK: - Package benchmarks (thresholds in Thresholds/, tolerances in the benchmark code)
    .executableTarget(
      name: "DSPBenchmarks",
      dependencies: [
        .product(name: "ExamKit", package: "ExamKit"),
        .product(name: "_ExamTestSupport", package: "ExamKit"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "DSPBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),

    // MARK: - Bench executables (whole-workload timings for Tools/*.sh and docs/benchmarks.md)
    .executableTarget(
      name: "bench-allocate", dependencies: [.product(name: "ExamKit", package: "ExamKit")], path: "AllocateBench"),
    .executableTarget(
      name: "proctor-bench",
      dependencies: [
        .product(name: "ExamKit", package: "ExamKit"), .product(name: "_ExamTestSupport", package: "ExamKit"),
      ],
      path: "ProctorBench"),
    .executableTarget(
      name: "records-bench-seed", dependencies: [.product(name: "ExamKit", package: "ExamKit")],
      path: "RecordsBenchSeed"),
    .executableTarget(
      name: "ingest-bench",
      dependencies: [
        .product(name: "ExamKit", package: "ExamKit"), .product(name: "_ExamTestSupport", package: "ExamKit"),
      ],
      path: "IngestBench"),
    // Validates GOP against speechocean762's phone and word marks and times the aligner (docs/accuracy.md,
    // docs/benchmarks.md, "Pronunciation"). Only the pronunciation product: no server to build.
    .executableTarget(
      name: "pron-eval", dependencies: [.product(name: "ExamKitPronunciation", package: "ExamKit")],
      path: "PronunciationEval"),
    // The voice-change rule on speechocean762's speakers and the encoder's speed (docs/accuracy.md, docs/benchmarks.md,
    // "voice"); no store, so its release build is quick.
    .executableTarget(
      name: "voice-eval", dependencies: [.product(name: "ExamKitVoice", package: "ExamKit")], path: "VoiceEval"),
    // Seeds and checks the store of Tools/bench-desk.sh (200 raters marking at once).
    .executableTarget(
      name: "desk-bench-seed",
      dependencies: [
        .product(name: "ExamKit", package: "ExamKit"), .product(name: "_ExamTestSupport", package: "ExamKit"),
      ],
      path: "DeskBenchSeed"),
    // Claims/s and time per claimed answer of the PostgreSQL work queue (docs/benchmarks.md, "Scale-out").
    .executableTarget(
      name: "queue-bench",
      dependencies: [
        .product(name: "ExamKit", package: "ExamKit"), .product(name: "_ExamTestSupport", package: "ExamKit"),
      ],
      path: "QueueBench"),
  ]
)
