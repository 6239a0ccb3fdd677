/// The kinds of item in the computer-based English listening and speaking test.
public enum ItemType: String, Sendable, Codable, CaseIterable {
  /// Listening: choose an answer after a short conversation or a passage (scored against the key).
  case choice
  /// Speaking: read one sentence aloud (reference text and audio).
  case readSentence = "read-sentence"
  /// Speaking: read a passage aloud (reference text and audio).
  case readPassage = "read-passage"
  /// Speaking: answer questions about a situation.
  case situational
  /// Speaking: talk about a picture.
  case pictureTalk = "picture-talk"
  /// Speaking: respond quickly to a remark.
  case quickResponse = "quick-response"
  /// Speaking: summarise a passage and answer a question on it.
  case summary

  /// Whether the candidate answers by speaking (a recording) rather than choosing.
  public var isSpoken: Bool { self != .choice }

  /// Whether a reference reading exists, so similarity to it can be measured.
  public var isReadAloud: Bool { self == .readSentence || self == .readPassage }

  /// Whether content must be judged by a person (open answers always go to a human rater).
  public var needsHumanContentMark: Bool { isSpoken && !isReadAloud }
}
