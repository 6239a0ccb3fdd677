/// The voice-change rule's scores: each answer's speaker embedding against the mean of the candidate's other
/// answers (leave-one-out), as a cosine, normalised against a cohort of other candidates' answers in the same
/// sitting (symmetric s-norm): score = ½ · ((s − μ_answer) / σ_answer + (s − μ_rest) / σ_rest), where μ, σ are
/// the mean and spread of the answer's (resp. the other answers' mean voice's) cosines with the `cohortTop`
/// closest cohort answers. Low scores mean "unlike this candidate's other answers, as unlike as other people are".
/// An answer scoring under the sitting's threshold (`SittingVoiceThreshold`, or a fixed one) raises an incident.
public struct VoiceChangeRule: Sendable {
  /// Cohort answers whose cosines set each side's mean and spread (the closest ones: adaptive s-norm).
  public var cohortTop = 100
  /// Other candidates' answers in a cohort by default (spread over the sitting: `cohort(from:limit:)`).
  public static let defaultCohortSize = 400

  public init(cohortTop: Int = 100) { self.cohortTop = cohortTop }

  /// One answer's score.
  public struct Score: Sendable, Equatable {
    /// Cosine with the mean voice of the candidate's other answers.
    public var cosine: Double
    /// The s-normalised score (in cohort standard deviations).
    public var normalised: Double
  }

  /// Scores of one candidate's answers (≥ 2) against `cohort` (other candidates' answers; may be empty, then the
  /// normalised score is the cosine itself).
  public func scores(_ answers: [VoiceEmbedding], cohort: [VoiceEmbedding]) -> [Score] {
    guard answers.count >= 2 else { return [] }
    let cohortSide = answers.map { statistics(of: $0.values, against: cohort) }
    return answers.indices.map { k in
      let rest = VoiceEmbedding.centroid(answers.indices.filter { $0 != k }.map { answers[$0] })!
      let cosine = dot(answers[k].values, rest)
      guard !cohort.isEmpty else { return Score(cosine: cosine, normalised: cosine) }
      let a = cohortSide[k]
      let r = statistics(of: rest, against: cohort)
      return Score(cosine: cosine, normalised: 0.5 * ((cosine - a.mean) / a.spread + (cosine - r.mean) / r.spread))
    }
  }

  /// Mean and standard deviation of the `cohortTop` highest cosines of `v` with the cohort.
  func statistics(of v: [Float], against cohort: [VoiceEmbedding]) -> (mean: Double, spread: Double) {
    let top = cohort.map { dot(v, $0.values) }.sorted(by: >).prefix(max(2, cohortTop))
    let mean = top.reduce(0, +) / Double(top.count)
    let variance = top.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, top.count - 1))
    return (mean, max(variance.squareRoot(), 1e-3))
  }

  func dot(_ a: [Float], _ b: [Float]) -> Double {
    var s: Float = 0
    for k in 0..<min(a.count, b.count) { s += a[k] * b[k] }
    return Double(s)
  }

  /// Which of `count` answers (in sitting order) make a cohort of at most `limit`: spread evenly, deterministic.
  public static func cohortIndexes(count: Int, limit: Int) -> [Int] {
    guard count > limit, limit > 0 else { return Array(0..<count) }
    return (0..<limit).map { $0 * count / limit }
  }
}
