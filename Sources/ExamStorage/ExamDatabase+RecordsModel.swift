import ExamCore

// Value types of the comprehensive quality evaluation records (綜合素質(zhì)評(píng)價(jià)), as the store keeps them.
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
    case .character: "品德發(fā)展與公民素養(yǎng)"
    case .academic: "修習(xí)課程與學(xué)業(yè)成績(jī)"
    case .health: "身心健康與藝術(shù)素養(yǎng)"
    case .innovation: "創(chuàng)新精神與實(shí)踐能力"
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

  /// Reads the key (`academic`), the Chinese name or the English name.
  public init?(text: String) {
    let t = text.trimmingSpaces()
    if let d = RecordDimension(rawValue: t.lowercased()) {
      self = d
      return
    }
    guard let d = RecordDimension.allCases.first(where: { $0.chineseName == t || $0.englishName.lowercased() == t.lowercased() })
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
    case .courseGrade: "課程成績(jī)"
    case .levelTest: "等級(jí)考試"
    case .socialPractice: "社會(huì)實(shí)踐"
    case .volunteerService: "志愿服務(wù)"
    case .researchProject: "研究性學(xué)習(xí)"
    case .award: "獲獎(jiǎng)"
    case .physicalTest: "體質(zhì)健康測(cè)試"
    case .artActivity: "藝術(shù)活動(dòng)"
    case .schoolIndicator: "校本特色指標(biāo)"
    case .other: "其他"
    }
  }
}

/// Where an entry is in the school's approval workflow.
public enum RecordEntryStatus: String, Sendable, Codable, CaseIterable, Hashable {
  /// Entered by the school (學(xué)校錄入).
  case entered
  /// Confirmed by the student (學(xué)生確認(rèn)).
  case confirmed
  /// Approved by the school (學(xué)校審核通過), the only status admissions rely on.
  case approved

  public var chineseName: String {
    switch self {
    case .entered: "學(xué)校錄入"
    case .confirmed: "學(xué)生確認(rèn)"
    case .approved: "學(xué)校審核"
    }
  }

  public init?(text: String) {
    let t = text.trimmingSpaces()
    if let s = RecordEntryStatus(rawValue: t.lowercased()) {
      self = s
      return
    }
    guard let s = RecordEntryStatus.allCases.first(where: { $0.chineseName == t }) else { return nil }
    self = s
  }
}

/// A senior-secondary student whose record is kept.
public struct RecordStudent: Sendable, Codable, Equatable, Hashable {
  /// 18-character national ID (ISO 7064 MOD 11-2 check character, which may be X); the key.
  public var nationalId: String
  /// The student's registration number (學(xué)籍號(hào)), unique.
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
  /// A school-specific indicator (校本特色指標(biāo)) the entry belongs to, or nil.
  public var indicator: String?
  public var type: RecordEntryType
  public var title: String
  /// `YYYY-MM-DD`.
  public var date: String
  /// Hours of service or practice.
  public var hours: Double?
  /// A numeric score (course mark, physical-test points), when there is one.
  public var score: Double?
  /// A grade or level in words (`A`, `優(yōu)秀`), when there is one.
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
