import ExamCore

/// The voice in one recording as the speaker encoder sees it: a unit-length vector (256 values for the GE2E
/// model); two recordings of one speaker have a high cosine, of two speakers a lower one.
public struct VoiceEmbedding: Sendable, Codable, Equatable {
  /// Unit length.
  public var values: [Float]
  /// Seconds of speech the embedding was made from (SpeechDSP's voice activity, `speech_s`).
  public var speechSeconds: Double
  /// Number of 1.6 s partial utterances averaged.
  public var partials: Int

  public init(values: [Float], speechSeconds: Double, partials: Int) {
    self.values = values
    self.speechSeconds = speechSeconds
    self.partials = partials
  }

  /// Cosine similarity (a dot product: both have unit length), in −1…1.
  public func cosine(_ other: VoiceEmbedding) -> Double { Self.dot(values, other.values) }

  static func dot(_ a: [Float], _ b: [Float]) -> Double {
    var sum: Float = 0
    for k in 0..<min(a.count, b.count) { sum += a[k] * b[k] }
    return Double(sum)
  }

  /// The normalised mean of several embeddings (a speaker's usual voice); nil when there are none.
  public static func centroid(_ embeddings: [VoiceEmbedding]) -> [Float]? {
    guard let n = embeddings.first?.values.count else { return nil }
    var sum = [Float](repeating: 0, count: n)
    for e in embeddings { for k in 0..<min(n, e.values.count) { sum[k] += e.values[k] } }
    return normalised(sum)
  }

  static func normalised(_ v: [Float]) -> [Float] {
    let norm = v.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
    return norm > 0 ? v.map { $0 / norm } : v
  }
}

/// Why a recording has no embedding.
public enum VoiceSkipReason: Error, Sendable, Codable, Equatable, CustomStringConvertible {
  /// Less speech than the encoder needs (seconds found, seconds needed).
  case tooLittleSpeech(seconds: Double, needed: Double)

  public var description: String {
    switch self {
    case .tooLittleSpeech(let seconds, let needed):
      "\(NumberText.oneDecimal(seconds)) s of speech, under the \(NumberText.oneDecimal(needed)) s a voice embedding needs"
    }
  }
}
