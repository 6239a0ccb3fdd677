import ExamCore

/// A pack's `pack.yaml` as written, before media checks: what `exam pack build` packs and `import` registers.
///
/// Every element keeps the key path it was read from (`path`), so later checks can name where a problem is.
/// Durations are in seconds, points in marks.
public struct PackSource: Sendable {
  /// The only `format:` value this version reads.
  public static let formatName = "examkit-pack/1"

  public var examId: String
  public var title: String
  /// The paper's total (must equal the sum of the sections' points).
  public var totalPoints: Double
  /// Optional totals per part (listening, speaking), checked against their sections.
  public var partPoints: [SectionDefinition.Part: Double]
  /// Paper forms; one form `A` with the written order when the pack names none.
  public var forms: [PackForm]
  public var sections: [PackSection]

  public var items: [PackItem] { sections.flatMap(\.items) }
}

/// A paper form: the same items, with some sections' items in another order (so neighbours differ).
public struct PackForm: Sendable, Codable, Equatable {
  public var id: String
  /// Section id → item ids in the order this form presents them; sections not named keep the written order.
  public var itemOrder: [String: [String]]
  var path: String = ""

  enum CodingKeys: String, CodingKey { case id, itemOrder }
}

/// A section of the paper.
public struct PackSection: Sendable {
  public var id: String
  public var title: String
  public var part: SectionDefinition.Part
  public var points: Double
  /// The time the section may take, seconds: prompts, preparation and answer windows must fit in it.
  public var timeLimitSeconds: Double
  public var instructions: String?
  /// Recordings several items share (a passage heard once or twice, then questions on it).
  public var passages: [PackPassage]
  public var items: [PackItem]
  var path: String
}

/// A recording shared by several items of a section.
public struct PackPassage: Sendable {
  public var id: String
  /// Audio file, relative to the pack folder.
  public var audio: String
  /// How many times it is played.
  public var plays: Int
  /// Transcript.
  public var text: String?
  var path: String
}

/// One item as written.
public struct PackItem: Sendable {
  public var id: String
  public var type: ItemType
  public var points: Double
  public var promptText: String?
  /// Audio played before the candidate answers, relative to the pack folder.
  public var promptAudio: String?
  /// Times `promptAudio` is played.
  public var plays: Int
  /// Explicit prompt time, seconds (else the prompt audio's length × plays, or the passage's).
  public var promptSeconds: Double?
  /// Id of a section passage this item is about.
  public var passage: String?
  /// Picture shown (PNG, JPEG or SVG), relative to the pack folder.
  public var picture: String?
  public var referenceText: String?
  /// Reference reading of `referenceText`, relative to the pack folder.
  public var referenceAudio: String?
  /// Choice items: the question on screen.
  public var question: String?
  /// Choice items: option letter → text, in order.
  public var options: [(key: String, text: String)]
  /// Choice items: the correct option.
  public var answer: String?
  /// Seconds to prepare after the prompt, before recording starts.
  public var preparationSeconds: Double
  public var minAnswerSeconds: Double?
  public var maxAnswerSeconds: Double?
  public var rubric: Rubric?
  var path: String

  /// Media files this item names, with the key each sits under.
  var mediaReferences: [(key: String, file: String)] {
    var refs: [(String, String)] = []
    if let promptAudio { refs.append(("prompt_audio", promptAudio)) }
    if let referenceAudio { refs.append(("reference_audio", referenceAudio)) }
    if let picture { refs.append(("picture", picture)) }
    return refs
  }
}
