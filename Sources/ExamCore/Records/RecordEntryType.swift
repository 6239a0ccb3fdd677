/// What kind of record an entry is.
public enum RecordEntryType: String, Sendable, Codable, CaseIterable, Hashable {
  case courseGrade = "course-grade"
  case levelTest = "level-test"
  case socialPractice = "social-practice"
  case volunteerService = "volunteer-service"
  case researchProject = "research-project"
  case award
  case physicalTest = "physical-test"
  case artActivity = "art-activity"
  case schoolIndicator = "school-indicator"
  case other

  /// The dimensions an entry of this type may be filed under (a course grade is never "health").
  public var allowedDimensions: Set<RecordDimension> {
    switch self {
    case .courseGrade, .levelTest: [.academic]
    case .socialPractice, .volunteerService: [.character, .innovation]
    case .researchProject: [.innovation, .academic]
    case .physicalTest, .artActivity: [.health]
    case .award, .schoolIndicator, .other: Set(RecordDimension.allCases)
    }
  }

  /// Whether the entry must give hours (service and practice are counted in hours).
  public var requiresHours: Bool { self == .volunteerService || self == .socialPractice }

  /// Chinese label used in printed records.
  public var chineseName: String {
    switch self {
    case .courseGrade: "课程成绩"
    case .levelTest: "等级考试"
    case .socialPractice: "社会实践"
    case .volunteerService: "志愿服务"
    case .researchProject: "研究性学习"
    case .award: "获奖"
    case .physicalTest: "体质健康测试"
    case .artActivity: "艺术活动"
    case .schoolIndicator: "校本特色指标"
    case .other: "其他"
    }
  }
}
