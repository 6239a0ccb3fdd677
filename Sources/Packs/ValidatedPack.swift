import ExamCore

/// A pack folder that passed every check: its source, its files and the length of each audio file.
public struct ValidatedPack: Sendable {
  /// The pack folder.
  public let directory: String
  public let source: PackSource
  /// Every file in the folder (relative paths, sorted), `pack.yaml` included: what a build packs.
  public let files: [String]
  /// Seconds of each audio file the pack names, by relative path.
  public let audioSeconds: [String: Double]

  /// The time an item's prompt takes before the candidate can answer, seconds: `prompt_seconds` when written,
  /// else its prompt audio × plays, else its passage × the passage's plays; nil when it has no prompt to play.
  public func promptSeconds(of item: PackItem, in section: PackSection) -> Double? {
    if let explicit = item.promptSeconds { return explicit }
    if let audio = item.promptAudio, let seconds = audioSeconds[audio] {
      return Self.tenths(seconds * Double(item.plays))
    }
    if let id = item.passage, let passage = section.passages.first(where: { $0.id == id }),
      let seconds = audioSeconds[passage.audio]
    {
      return Self.tenths(seconds * Double(passage.plays))
    }
    return nil
  }

  /// Seconds the section needs: each passage played, then every item's own prompt, preparation and answer window.
  public func requiredSeconds(of section: PackSection) -> Double {
    var total = 0.0
    for passage in section.passages { total += (audioSeconds[passage.audio] ?? 0) * Double(passage.plays) }
    for item in section.items {
      if item.passage == nil { total += promptSeconds(of: item, in: section) ?? 0 }
      total += item.preparationSeconds + (item.maxAnswerSeconds ?? 0)
    }
    return Self.tenths(total)
  }

  /// Files of the folder that pack.yaml never names (they are packed all the same; often a leftover).
  public var unreferencedFiles: [String] {
    var named: Set<String> = [PackValidator.sourceFileName]
    for section in source.sections {
      for passage in section.passages { named.insert(passage.audio) }
      for item in section.items { for (_, file) in item.mediaReferences { named.insert(file) } }
    }
    return files.filter { !named.contains($0) }
  }

  /// Rounds up to a tenth of a second, so durations print and compare cleanly.
  static func tenths(_ seconds: Double) -> Double { (seconds * 10).rounded(.up) / 10 }
}
