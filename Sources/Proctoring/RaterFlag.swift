import ExamCore
import ExamStorage

/// A rater's flag on an answer they are marking, raised as a proctoring incident (rule `rater-flag`) so that it is
/// decided like any other (`exam proctor incidents`, `exam proctor decide`).
public struct RaterFlag: Sendable, Equatable {
  public enum Reason: String, Sendable, Codable, CaseIterable {
    case noSound = "no-sound"
    case wrongItem = "wrong-item"
    case misconduct = "possible-misconduct"

    /// The words the desk shows.
    public var label: String {
      switch self {
      case .noSound: "No sound"
      case .wrongItem: "Answers another item"
      case .misconduct: "Possible misconduct"
      }
    }
  }

  public var answer: StoredRecording
  public var raterId: String
  public var reason: Reason
  /// What the rater wrote, if anything.
  public var comment: String

  public init(answer: StoredRecording, raterId: String, reason: Reason, comment: String) {
    self.answer = answer
    self.raterId = raterId
    self.reason = reason
    self.comment = comment
  }

  /// The incident: one per answer and reason (a second flag of the same kind on the same answer adds nothing).
  public func incident(at: String) -> Incident {
    let (category, subcategory, severity): (Incident.Category, String, Incident.Severity) =
      switch reason {
      case .noSound: (.technical, "microphone", .medium)
      case .wrongItem: (.technical, "testing workstation", .medium)
      case .misconduct: (.examinee, "misconduct", .high)
      }
    let note = comment.trimmingSpaces()
    return Incident(
      examId: answer.examId, key: "rater-flag:\(answer.id ?? 0):\(reason.rawValue)", rule: "rater-flag",
      category: category, subcategory: subcategory, severity: severity, sessionId: answer.sessionId,
      centreId: answer.centreId,
      seatId: answer.seatId, candidateId: answer.candidateId,
      comment: "rater \(raterId) flagged answer \(answer.id ?? 0) (item \(answer.itemId)): \(reason.label)"
        + (note.isEmpty ? "" : " — \(note)"),
      evidence: ["recording:\(answer.id ?? 0)"], raisedAt: at, raisedBy: "rater \(raterId)")
  }
}

extension IncidentDesk {
  /// Raises a rater's flag as an incident, with its audit line; returns it with its id, or nil when the same flag
  /// was raised before.
  public func raise(_ flag: RaterFlag, audit: AuditEntry) async throws -> Incident? {
    try await store.recordIncidents([flag.incident(at: audit.at)], audit: audit).first
  }
}
