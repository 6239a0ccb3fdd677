import ExamCore

/// How a final mark follows from two marks and, when they disagree, an arbiter's mark (the rubric's rule).
///
/// - Two marks within the rubric's tolerance (|a − b| ≤ tolerance): the final mark is their mean.
/// - Further apart: arbitration. With `mean-of-closest` the final mark is the mean of the arbiter's mark and
///   whichever first mark is closer to it (the first of the two on a tie); with `arbiter-decides` it is the
///   arbiter's mark.
/// Final marks are rounded to 0.01 points.
public enum FinalMarkRule {
  public enum Outcome: Sendable, Equatable {
    /// The final mark, how it was decided, and the indexes (0 first, 1 second, 2 arbiter) of the marks used.
    case final(points: Double, method: String, uses: [Int])
    case needsArbitration(difference: Double)
  }

  public static func resolve(_ first: Double, _ second: Double, arbiter: Double?, rubric: Rubric) -> Outcome {
    let difference = abs(first - second)
    if difference <= rubric.tolerance + 1e-9 {
      return .final(
        points: round2((first + second) / 2), method: "mean of two marks within tolerance \(rubric.tolerance)",
        uses: [0, 1])
    }
    guard let arbiter else { return .needsArbitration(difference: difference) }
    switch rubric.resolution {
    case .arbiterDecides:
      return .final(points: round2(arbiter), method: "arbitrated: arbiter-decides", uses: [2])
    case .meanOfClosest:
      let closer = abs(arbiter - first) <= abs(arbiter - second) ? 0 : 1
      let closest = closer == 0 ? first : second
      return .final(points: round2((arbiter + closest) / 2), method: "arbitrated: mean-of-closest", uses: [closer, 2])
    }
  }

  static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
