// swift-tools-version:6.0
import PackageDescription

// ExamKit: one executable, `exam`, over one library per capability.
// Dependencies go one way: ExamCLI → capability modules → ExamStorage / AudioIO → ExamCore.
// Benchmarks (package benchmarks and the bench executables of Tools/) live in the nested package Benchmarks/.

let package = Package(
  name: "ExamKit",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "exam", targets: ["exam"]),
    .library(name: "ExamKit", targets: ["ExamCLI"]),
    // For the benchmarks of the nested package Benchmarks/ only (synthetic speech, sample data); never shipped.
    .library(name: "_ExamTestSupport", targets: ["_ExamTestSupport"]),
    // The readers of outside input, for the libFuzzer targets in Fuzz/ (`make fuzz`).
    .library(name: "ExamKitParsers", targets: ["ExamCore", "AudioIO", "Packs", "Allocation", "Proctoring"]),
    // The pronunciation scorer alone, for Benchmarks/PronunciationEval (`pron-eval`) without building the server.
    .library(
      name: "ExamKitPronunciation", targets: ["ExamCore", "AudioIO", "SpeechDSP", "SpeechEncoder", "Pronunciation"]),
    // The speaker encoder alone, for Benchmarks/VoiceEval (`voice-eval`) without building the server.
    .library(name: "ExamKitVoice", targets: ["ExamCore", "AudioIO", "SpeechDSP", "SpeakerEmbedding"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    // `exam serve`: HTTP server, graceful shutdown, logging (mirrored versions only).
    .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),  // --tls-cert/--tls-key
    // `exam upload`: the tus client's HTTP on SwiftNIO (URLSession on Linux spins a core while a request is out).
    .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
    // the marking desk: bcrypt
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
    // Scale-out (docs/scale-out.md): the PostgreSQL store and its work queue, inside ExamStorage only.
    .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),  // workers' /metrics
  ],
  targets: [
    // MARK: - Executable and command tree
    .executableTarget(name: "exam", dependencies: ["ExamCLI"]),
    .target(
      name: "ExamCLI",
      dependencies: [
        "ExamCore", "ExamStorage", "Signing", "AudioIO", "Packs", "Allocation", "Ingest", "SpeechDSP",
        "Scoring", "Proctoring", "Records", "CentreServer", "MarkingServer", "Pronunciation", "SpeakerEmbedding",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ], exclude: ["README.md"]),

    // MARK: - Capabilities
    .target(
      name: "Packs",
      dependencies: [
        "ExamCore", "ExamStorage", "Signing", "AudioIO",
        .product(name: "Yams", package: "Yams"),
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        .product(name: "Crypto", package: "swift-crypto"),
      ], exclude: ["README.md"]),
    .target(
      name: "Allocation", dependencies: ["ExamCore", "ExamStorage", "CCbc", .product(name: "Yams", package: "Yams")],
      exclude: ["README.md"]),
    .target(
      name: "Ingest",
      dependencies: [
        "ExamCore", "ExamStorage", "AudioIO", "Signing", "SpeechDSP",
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        .product(name: "Crypto", package: "swift-crypto"),  // streaming SHA-256 while copying
      ], exclude: ["README.md"]),
    .target(
      name: "CentreServer",
      dependencies: [
        "ExamCore", "ExamStorage", "Ingest", "Signing", "Scoring",
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),  // `exam upload` zips a folder
      ], exclude: ["README.md"]),
    // The marking desk of `exam serve`: rater accounts, /mark, /arbitrate, /marking over Scoring's MarkingDesk.
    .target(
      name: "MarkingServer",
      dependencies: [
        "ExamCore", "ExamStorage", "Scoring", "Proctoring", "Signing", "CentreServer",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
      ], exclude: ["README.md"]),
    .target(name: "SpeechDSP", dependencies: ["ExamCore", "AudioIO", "CFFTW"], exclude: ["README.md"]),
    .target(
      name: "Scoring", dependencies: ["ExamCore", "ExamStorage", "AudioIO", "SpeechDSP", "Signing", "Pronunciation"],
      exclude: ["README.md"]),
    .target(
      name: "Proctoring",
      dependencies: ["ExamCore", "ExamStorage", "Allocation", "AudioIO", "SpeechDSP", "SpeakerEmbedding"],
      exclude: ["README.md"]),
    // Speaker embeddings (GE2E encoder, ExamPacks/models) for Proctoring's voice-change rule.
    .target(
      name: "SpeakerEmbedding", dependencies: ["ExamCore", "SpeechDSP", "COpenBLAS", "CLSTMKernels"],
      exclude: ["README.md"]),
    // The encoder's LSTM activations, vectorised in C (debug builds too).
    .target(name: "CLSTMKernels"),
    .target(name: "Records", dependencies: ["ExamCore", "ExamStorage", "Signing"], exclude: ["README.md"]),
    .target(
      name: "Pronunciation", dependencies: ["ExamCore", "AudioIO", "CPocketSphinx", "COpenBLAS", "SpeechEncoder"],
      exclude: ["README.md"]),
    // Moonshine base's English speech encoder (ExamPacks/models) for Pronunciation's phone evidence.
    .target(name: "SpeechEncoder", dependencies: ["ExamCore", "COpenBLAS"], exclude: ["README.md"]),

    // MARK: - Foundation
    .target(name: "ExamCore", exclude: ["README.md"]),
    .target(
      name: "ExamStorage",
      dependencies: [
        "ExamCore", "Signing", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
      ], exclude: ["README.md"]),
    .target(
      name: "Signing", dependencies: ["ExamCore", .product(name: "Crypto", package: "swift-crypto")],
      exclude: ["README.md"]),
    .target(name: "AudioIO", dependencies: ["ExamCore", "CSndFile", "CSoxr"], exclude: ["README.md"]),

    // MARK: - C libraries (Debian packages, installed by Tools/bootstrap)
    .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
    .systemLibrary(name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),
    .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CPocketSphinx", pkgConfig: "pocketsphinx",
      providers: [.apt(["libpocketsphinx-dev", "pocketsphinx-en-us"])]),
    // COIN-OR CBC's C interface: the mixed-integer program of `exam allocate --exact` (Allocation).
    .systemLibrary(name: "CCbc", pkgConfig: "cbc", providers: [.apt(["coinor-libcbc-dev"])]),

    // MARK: - Tests
    .target(
      name: "_ExamTestSupport", dependencies: ["ExamCore", "ExamStorage", "AudioIO"], path: "Sources/_ExamTestSupport"),
    .testTarget(name: "ExamCoreTests", dependencies: ["ExamCore", "_ExamTestSupport"]),
    .testTarget(name: "ExamStorageTests", dependencies: ["ExamStorage", "_ExamTestSupport"]),
    .testTarget(name: "SigningTests", dependencies: ["Signing", "_ExamTestSupport"]),
    .testTarget(name: "AudioIOTests", dependencies: ["AudioIO", "_ExamTestSupport"]),
    .testTarget(name: "PacksTests", dependencies: ["Packs", "ExamCLI", "_ExamTestSupport"]),
    .testTarget(name: "AllocationTests", dependencies: ["Allocation", "ExamCLI", "_ExamTestSupport"]),
    .testTarget(
      name: "IngestTests",
      dependencies: [
        "Ingest", "ExamCLI", "_ExamTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]),
    .testTarget(name: "SpeechDSPTests", dependencies: ["SpeechDSP", "ExamCLI", "_ExamTestSupport"]),
    .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Pronunciation", "ExamCLI", "_ExamTestSupport"]),
    .testTarget(name: "ProctoringTests", dependencies: ["Proctoring", "ExamCLI", "_ExamTestSupport"]),
    .testTarget(
      name: "SpeakerEmbeddingTests",
      dependencies: ["SpeakerEmbedding", "AudioIO", "_ExamTestSupport", "COpenBLAS", "CLSTMKernels"]),
    .testTarget(name: "PronunciationTests", dependencies: ["Pronunciation", "AudioIO", "_ExamTestSupport"]),
    .testTarget(name: "SpeechEncoderTests", dependencies: ["SpeechEncoder", "AudioIO", "_ExamTestSupport"]),
    .testTarget(name: "RecordsTests", dependencies: ["Records", "ExamCLI", "_ExamTestSupport"]),
    .testTarget(name: "ExamCLITests", dependencies: ["ExamCLI", "_ExamTestSupport"]),
    .testTarget(
      name: "CentreServerTests",
      dependencies: [
        "CentreServer", "ExamCLI", "_ExamTestSupport",
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]),
    .testTarget(
      name: "MarkingServerTests",
      dependencies: [
        "MarkingServer", "CentreServer", "ExamCLI", "_ExamTestSupport",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
