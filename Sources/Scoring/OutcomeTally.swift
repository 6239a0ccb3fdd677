import ExamCore

/// A run's counts of scores by outcome (`MachineScore.outcome`): one rule for `score run` and the queue workers.
public protocol OutcomeTally {
  var confident: Int { get set }
  var toHumans: Int { get set }
  /// Unreadable answers: no machine score.
  var failed: Int { get set }
}

extension OutcomeTally {
  /// Counts one score's outcome.
  public mutating func count(_ outcome: MachineScore.Outcome) {
    switch outcome {
    case .unreadable: failed += 1
    case .toHumans: toHumans += 1
    case .confident: confident += 1
    }
  }
}
