import ExamCore
import Foundation
import Synchronization

/// The en-us model's Gaussians and mixture weights, read from its own files, so that every frame can be scored
/// against every phone — what pocketsphinx 0.8's public API does not give (it returns one score per aligned
/// segment). The model is phonetically tied (PTM): one codebook of 128 diagonal Gaussians per base phone and
/// feature stream (3 streams of 13: cepstra, deltas, double deltas), and each senone weighs the Gaussians of its
/// base phone's codebook. A phone is scored by its three context-independent senones (its states without
/// neighbours); on speechocean762 that agrees with the experts as well as the best of all 5,126 context-dependent
/// senones does (docs/accuracy.md, "Every phone scored"), and costs 126 senone evaluations a frame instead of 5,126.
///
/// Read once per process per model folder (`SenoneModel.load(_:)`), immutable, shared by every aligner.
public final class SenoneModel: Sendable {
  /// The base phones in the model's order (`+NSN+`, `+SPN+`, `AA` … `ZH`, `SIL`).
  public let phones: [String]
  let codebooks: Int
  let streams: Int
  let densities: Int
  let streamLength: Int
  /// Per stream, the Gaussians ([codebook][density]) as rows of `2 × streamLength + 1` weights over the frame's
  /// (x², x, 1): the log density −Σ (x − μ)² / 2σ² − ½ Σ log 2πσ², expanded so one matrix product scores a block
  /// of frames against every Gaussian.
  let expandedGaussians: [[Float]]
  /// Per base phone, its context-independent senones' natural-log mixture weights, [state][stream][density].
  let stateLogWeights: [[Float]]
  /// States (senones) per phone.
  let states: Int

  /// Gaussians kept per codebook and stream when a senone is scored (the model's `-topn`).
  static let topGaussians = 4
  /// pocketsphinx's variance floor (`-varfloor`).
  static let varianceFloor: Float = 1e-4

  private init(folder: String) throws(ExamError) {
    let means = try S3Array.read(folder + "/means")
    let variances = try S3Array.read(folder + "/variances")
    guard means.dimensions == variances.dimensions, means.dimensions.count >= 4,
      means.dimensions[3...].allSatisfy({ $0 == means.dimensions[3] })
    else {
      throw ExamError(
        .invalidInput, file: folder + "/variances", "means and variances of the acoustic model do not match",
        fix: "reinstall pocketsphinx-en-us (Tools/bootstrap)")
    }
    codebooks = means.dimensions[0]
    streams = means.dimensions[1]
    densities = means.dimensions[2]
    streamLength = means.dimensions[3]
    let width = 2 * streamLength + 1
    var expanded = [[Float]](repeating: [], count: streams)
    for stream in 0..<streams {
      var rows = [Float](repeating: 0, count: codebooks * densities * width)
      for codebook in 0..<codebooks {
        for density in 0..<densities {
          let gaussian = (codebook * streams + stream) * densities + density
          let row = (codebook * densities + density) * width
          var constant: Float = 0
          for d in 0..<streamLength {
            let variance = max(variances.values[gaussian * streamLength + d], Self.varianceFloor)
            let mean = means.values[gaussian * streamLength + d]
            let half = 1 / (2 * variance)
            rows[row + d] = -half
            rows[row + streamLength + d] = 2 * half * mean
            constant -= half * mean * mean + log(2 * Float.pi * variance) / 2
          }
          rows[row + 2 * streamLength] = constant
        }
      }
      expanded[stream] = rows
    }
    expandedGaussians = expanded
    let definition = try BinaryModelDefinition.read(folder + "/mdef")
    phones = definition.phones
    states = definition.baseSenones.first?.count ?? 0
    guard phones.count == codebooks else {
      throw ExamError(
        .invalidInput, file: folder + "/mdef", "\(phones.count) base phones but \(codebooks) codebooks",
        fix: "use a phonetically tied (PTM) model such as pocketsphinx-en-us")
    }
    let wanted = definition.baseSenones.flatMap { $0 }
    let weights = try Self.readSendump(
      folder + "/sendump", streams: streams, densities: densities, senones: definition.senoneCount, wanted: wanted)
    let perPhone = states * streams * densities
    stateLogWeights = definition.baseSenones.indices.map { Array(weights[$0 * perPhone..<($0 + 1) * perPhone]) }
  }

  /// Reads the mixture weights of the `wanted` senones, [wanted senone][stream][density] in natural logs. The file
  /// holds 8-bit negative logs (base 1.0001, shifted right by 10 bits) in [stream][density] rows of one byte per
  /// senone, after a header of length-prefixed strings.
  private static func readSendump(
    _ path: String, streams: Int, densities: Int, senones: Int, wanted: [Int]
  ) throws(ExamError) -> [Float] {
    let reader = try BinaryReader(path: path)
    var fields: [String: Int] = [:]
    while true {
      let length = try reader.int32()
      if length == 0 { break }
      let text = try reader.string(length: Int(length))
      let parts = text.split(separator: " ")
      if parts.count == 2, let value = Int(parts[1]) { fields[String(parts[0])] = value }
    }
    guard (fields["cluster_count"] ?? 0) == 0 else {
      throw reader.error("clustered mixture weights are not supported", fix: "use pocketsphinx-en-us's en-us model")
    }
    let rows = Int(try reader.int32())
    let columns = Int(try reader.int32())
    guard rows == densities, columns == senones, fields["feature_count"].map({ $0 == streams }) ?? true else {
      throw reader.error(
        "mixture weights of \(rows) × \(columns) do not fit \(densities) densities × \(senones) senones",
        fix: "reinstall pocketsphinx-en-us (Tools/bootstrap)")
    }
    let bytes = Array(try reader.bytes(count: streams * rows * columns))
    var weights = [Float](repeating: 0, count: wanted.count * streams * densities)
    let unit = Float(PhoneAligner.natsPerScoreUnit)
    for (index, senone) in wanted.enumerated() {
      for stream in 0..<streams {
        for density in 0..<densities {
          let byte = bytes[(stream * densities + density) * senones + senone]
          weights[(index * streams + stream) * densities + density] = -Float(byte) * unit
        }
      }
    }
    return weights
  }

  private static let cache = Mutex<[String: SenoneModel]>([:])

  /// The model in `hmmDirectory`, read on first use and kept for the process.
  /// - Throws: `ExamError` naming the file when a model file is missing or not in pocketsphinx's format.
  public static func load(_ hmmDirectory: String) throws(ExamError) -> SenoneModel {
    if let known = cache.withLock({ $0[hmmDirectory] }) { return known }
    let model = try SenoneModel(folder: hmmDirectory)
    return cache.withLock { cached in
      if let known = cached[hmmDirectory] { return known }
      cached[hmmDirectory] = model
      return model
    }
  }

  /// The index of `phone` among `phones`, nil for a phone the model lacks.
  public func index(of phone: String) -> Int? { phones.firstIndex(of: phone) }
}
