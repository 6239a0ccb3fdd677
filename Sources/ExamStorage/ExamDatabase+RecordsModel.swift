import ExamCore

// Value types of the comprehensive quality evaluation records (综合素质评价), as the store keeps them.
// They live here because the store's methods take and return them; the Records module adds the rules.

/// One of the four dimensions of Shanghai's comprehensive quality evaluation.
public enum RecordDimension: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
  case character
  case academic
  case health
  case innovation

  /// The official Chinese name.
  public var chineseName: String {
    switch self {
    case .character: "品德发展与公民素养"
    case .academic: "修习课程与学业成绩"
    case .health: "身心健康与艺术素养"
    case .innovation: "创新精神与实践能力"
    }
  }

  /// The name in traditional characters, also accepted on import.
  public var traditionalName: String {
    switch self {
    case .character: "品德發展與公民素養"
    case .academic: "修習課程與學業成績"
    case .health: "身心健康與藝術素養"
    case .innovation: "創新精神與實踐能力"
    }
  }

  /// An English name for readers who do not read Chinese.
  public var englishName: String {
    switch self {
    case .character: "Character and citizenship"
    case .academic: "Courses and academic results"
    case .health: "Health and the arts"
    case .innovation: "Innovation and practice"
    }
  }

  /// Reads the key (`academic`), the Chinese name (simplified or traditional, pinyin annotations such as
  /// `發(fā)` ignored) or the English name.
  public init?(text: String) {
    let t = RecordText.strippingPinyin(text.trimmingSpaces())
    if let d = RecordDimension(rawValue: t.lowercased()) {
      self = d
      return
    }
    guard let d = RecordDimension.allCases.first(where: {
      $0.chineseName == t || $0.traditionalName == t || $0.englishName.lowercased() == t.lowercased()
    })
    else { return nil }
    self = d
  }

  public static func < (a: RecordDimension, b: RecordDimension) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

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
    guard let s = RecordEntryStatus.allCases.first(where: { $0.chineseName == t || $0.traditionalName == t }) else { return nil }
    self = s
  }
}

/// A senior-secondary student whose record is kept.
public struct RecordStudent: Sendable, Codable, Equatable, Hashable {
  /// 18-character national ID (ISO 7064 MOD 11-2 check character, which may be X); the key.
  public var nationalId: String
  /// The student's registration number (学籍号), unique.
  public var studentNumber: String
  public var name: String
  public var school: String
  public var district: String
  /// Class name, e.g. `高二(3)班`.
  public var className: String
  /// Year of graduation, e.g. 2027.
  public var cohort: Int

  public init(nationalId: String, studentNumber: String, name: String, school: String, district: String,
    className: String, cohort: Int)
  {
    self.nationalId = nationalId
    self.studentNumber = studentNumber
    self.name = name
    self.school = school
    self.district = district
    self.className = className
    self.cohort = cohort
  }
}

/// One entry of a student's record, filed under a dimension.
public struct RecordEntry: Sendable, Codable, Equatable, Hashable {
  public var nationalId: String
  public var dimension: RecordDimension
  /// A school-specific indicator (校本特色指标) the entry belongs to, or nil.
  public var indicator: String?
  public var type: RecordEntryType
  public var title: String
  /// `YYYY-MM-DD`.
  public var date: String
  /// Hours of service or practice.
  public var hours: Double?
  /// A numeric score (course mark, physical-test points), when there is one.
  public var score: Double?
  /// A grade or level in words (`A`, `优秀`), when there is one.
  public var grade: String?
  /// Who reported it (school, organiser, exam).
  public var source: String
  /// Reference to the evidence (certificate number, file name), or nil when none was given.
  public var evidence: String?
  public var status: RecordEntryStatus

  public init(nationalId: String, dimension: RecordDimension, indicator: String? = nil, type: RecordEntryType,
    title: String, date: String, hours: Double? = nil, score: Double? = nil, grade: String? = nil, source: String,
    evidence: String? = nil, status: RecordEntryStatus)
  {
    self.nationalId = nationalId
    self.dimension = dimension
    self.indicator = indicator
    self.type = type
    self.title = title
    self.date = date
    self.hours = hours
    self.score = score
    self.grade = grade
    self.source = source
    self.evidence = evidence
    self.status = status
  }

  /// What makes an entry the same entry when a file is imported again: student, dimension, type, title, date.
  public var key: String { [nationalId, dimension.rawValue, type.rawValue, title, date].joined(separator: "\u{1F}") }
}

/// A finalised listening-and-speaking result, filed in the academic dimension.
public struct RecordTestSitting: Sendable, Codable, Equatable, Hashable {
  public var nationalId: String
  public var examId: String
  public var examTitle: String
  public var candidateId: String
  /// `YYYY-MM-DD`.
  public var sittingDate: String
  /// Points, out of `maxTotal`.
  public var total: Double
  public var maxTotal: Double
  public var listening: Double
  public var speaking: Double
  /// Points per section id.
  public var sectionScores: [String: Double]
  public var level: String
  /// Whether this sitting is the one that counts (the better of several).
  public var counted: Bool

  public init(nationalId: String, examId: String, examTitle: String, candidateId: String, sittingDate: String,
    total: Double, maxTotal: Double, listening: Double, speaking: Double, sectionScores: [String: Double],
    level: String, counted: Bool)
  {
    self.nationalId = nationalId
    self.examId = examId
    self.examTitle = examTitle
    self.candidateId = candidateId
    self.sittingDate = sittingDate
    self.total = total
    self.maxTotal = maxTotal
    self.listening = listening
    self.speaking = speaking
    self.sectionScores = sectionScores
    self.level = level
    self.counted = counted
  }
}

/// Which students a query or export covers; nil fields do not filter.
public struct RecordFilter: Sendable, Equatable {
  public var school: String?
  public var district: String?
  public var cohort: Int?
  /// Only these national IDs.
  public var nationalIds: Set<String>?

  public init(school: String? = nil, district: String? = nil, cohort: Int? = nil, nationalIds: Set<String>? = nil) {
    self.school = school
    self.district = district
    self.cohort = cohort
    self.nationalIds = nationalIds
  }
}

/// Counts from a records import or sync.
public struct RecordChangeSummary: Sendable, Equatable, Codable {
  public var studentsInserted = 0
  public var studentsUpdated = 0
  public var entriesInserted = 0
  public var entriesUpdated = 0
  public var entriesUnchanged = 0
  public init() {}
  public var changed: Bool { studentsInserted + studentsUpdated + entriesInserted + entriesUpdated > 0 }
}

/// Text clean-up for Chinese names in imported files.
enum RecordText {
  /// `品德發(fā)展` → `品德發展`: drops parenthesised pinyin that some converters put after a Chinese character.
  static func strippingPinyin(_ text: String) -> String {
    guard text.contains("(") else { return text }
    let scalars = Array(text.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    while i < scalars.count {
      if scalars[i] == "(", let previous = out.last, (0x4E00...0x9FFF).contains(previous.value),
        let close = scalars[(i + 1)...].firstIndex(of: ")"), close > i + 1,
        scalars[(i + 1)..<close].allSatisfy({ ("a"..."z").contains($0) || (0xC0...0x24F).contains($0.value) })
      {
        i = close + 1
        continue
      }
      out.append(scalars[i])
      i += 1
    }
    return String(out)
  }
}
