/// An exam as the store keeps it after `exam pack import`: sections of items with points, keys and rubrics.
public struct ExamDefinition: Sendable, Codable, Equatable {
  public var id: String
  public var title: String
  /// Paper forms (A, B, …) that neighbouring seats alternate between.
  public var formCount: Int
  public var sections: [SectionDefinition]
  /// SHA-256 of the built pack this came from.
  public var packSha256: String

  public init(id: String, title: String, formCount: Int = 1, sections: [SectionDefinition], packSha256: String) {
    self.id = id
    self.title = title
    self.formCount = formCount
    self.sections = sections
    self.packSha256 = packSha256
  }

  /// Sum of the sections' points.
  public var totalPoints: Double { sections.reduce(0) { $0 + $1.points } }
  public var items: [ItemDefinition] { sections.flatMap(\.items) }
  public func item(_ id: String) -> ItemDefinition? { items.first { $0.id == id } }
  public func section(ofItem itemId: String) -> SectionDefinition? {
    sections.first { $0.items.contains { $0.id == itemId } }
  }
}

/// A section of a paper (e.g. listening A, short conversations).
public struct SectionDefinition: Sendable, Codable, Equatable {
  public enum Part: String, Sendable, Codable { case listening, speaking }
  public var id: String
  public var title: String
  public var part: Part
  public var points: Double
  public var items: [ItemDefinition]

  public init(id: String, title: String, part: Part, points: Double, items: [ItemDefinition]) {
    self.id = id
    self.title = title
    self.part = part
    self.points = points
    self.items = items
  }
}

/// One item: what is played or shown, what the candidate must do, and how it is marked.
public struct ItemDefinition: Sendable, Codable, Equatable {
  public var id: String
  public var type: ItemType
  public var points: Double
  public var promptText: String?
  /// The text a read-aloud item asks the candidate to read.
  public var referenceText: String?
  /// The reference reading's 16 kHz FLAC in the content store.
  public var referenceAudioSha256: String?
  /// Listening items: the correct choice (e.g. "B").
  public var answerKey: String?
  /// Seconds the prompt audio plays before the candidate can answer.
  public var promptSeconds: Double?
  /// The window an answer's recording must fall in, seconds.
  public var minAnswerSeconds: Double?
  public var maxAnswerSeconds: Double?
  public var rubric: Rubric?

  public init(
    id: String, type: ItemType, points: Double, promptText: String? = nil, referenceText: String? = nil,
    referenceAudioSha256: String? = nil, answerKey: String? = nil, promptSeconds: Double? = nil,
    minAnswerSeconds: Double? = nil, maxAnswerSeconds: Double? = nil, rubric: Rubric? = nil
  ) {
    self.id = id
    self.type = type
    self.points = points
    self.promptText = promptText
    self.referenceText = referenceText
    self.referenceAudioSha256 = referenceAudioSha256
    self.answerKey = answerKey
    self.promptSeconds = promptSeconds
    self.minAnswerSeconds = minAnswerSeconds
    self.maxAnswerSeconds = maxAnswerSeconds
    self.rubric = rubric
  }
}

/// How a spoken item is marked: criteria with points, and when two marks must go to arbitration.
public struct Rubric: Sendable, Codable, Equatable {
  /// A marking criterion (e.g. pronunciation, fluency, content) and the points it carries.
  public struct Criterion: Sendable, Codable, Equatable {
    public var name: String
    public var points: Double
    public var description: String
    public init(name: String, points: Double, description: String = "") {
      self.name = name
      self.points = points
      self.description = description
    }
  }

  /// How the final mark follows from two marks within tolerance, or from arbitration.
  public enum Resolution: String, Sendable, Codable {
    /// The mean of the two marks; after arbitration, the mean of the arbiter's mark and the closer first mark.
    case meanOfClosest = "mean-of-closest"
    /// The arbiter's mark replaces both.
    case arbiterDecides = "arbiter-decides"
  }

  public var criteria: [Criterion]
  /// Two marks further apart than this (points) go to arbitration.
  public var tolerance: Double
  public var resolution: Resolution
  /// Whether raters see the machine's mark while they mark (pack.yaml `show_machine_mark: true`). Off by default:
  /// blind marking shows neither the machine's mark nor the other rater's.
  public var showMachineMark: Bool

  public init(
    criteria: [Criterion], tolerance: Double, resolution: Resolution = .meanOfClosest, showMachineMark: Bool = false
  ) {
    self.criteria = criteria
    self.tolerance = tolerance
    self.resolution = resolution
    self.showMachineMark = showMachineMark
  }
}

extension Rubric {
  enum CodingKeys: String, CodingKey { case criteria, tolerance, resolution, showMachineMark }

  /// Definitions stored before `showMachineMark` existed have no such key: blind marking.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    criteria = try c.decode([Criterion].self, forKey: .criteria)
    tolerance = try c.decode(Double.self, forKey: .tolerance)
    resolution = try c.decode(Resolution.self, forKey: .resolution)
    showMachineMark = try c.decodeIfPresent(Bool.self, forKey: .showMachineMark) ?? false
  }

  /// Writes `showMachineMark` only when set, so blind rubrics encode as they always did.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(criteria, forKey: .criteria)
    try c.encode(tolerance, forKey: .tolerance)
    try c.encode(resolution, forKey: .resolution)
    if showMachineMark { try c.encode(true, forKey: .showMachineMark) }
  }
}
