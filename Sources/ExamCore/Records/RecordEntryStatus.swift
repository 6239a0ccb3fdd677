/// Where an entry is in the school's approval workflow.
public enum RecordEntryStatus: String, Sendable, Codable, CaseIterable, Hashable {
  /// Entered by the school (学校录入).
  case entered
  /// Confirmed by the student (学生确认).
  case confirmed
  /// Approved by the school (学校审核通过), the only status admissions rely on.
  case approved

  public var chineseName: String {
    switch self {
    case .entered: "学校录入"
    case .confirmed: "学生确认"
    case .approved: "学校审核"
    }
  }

  /// The name in traditional characters, also accepted on import.
  public var traditionalName: String {
    switch self {
    case .entered: "學校錄入"
    case .confirmed: "學生確認"
    case .approved: "學校審核"
    }
  }

  /// Reads the key (`approved`) or the Chinese name (simplified or traditional).
  public init?(text: String) {
    let t = RecordText.strippingPinyin(text.trimmingSpaces())
    if let s = RecordEntryStatus(rawValue: t.lowercased()) {
      self = s
      return
    }
    guard let s = RecordEntryStatus.allCases.first(where: { $0.chineseName == t || $0.traditionalName == t }) else {
      return nil
    }
    self = s
  }
}
