import ExamCore

/// One answer to score or calibrate on: an id, its audio, the prompt text and (optionally) a reference reading.
public struct ManifestEntry: Sendable, Equatable {
  public var id: String
  /// Absolute or working-directory-relative path of the audio (resolved against the manifest's folder).
  public var audioPath: String
  /// For read-aloud answers, the text the candidate read; nil or empty for open answers.
  public var text: String?
  /// Reference reading's audio, when given.
  public var referencePath: String?
  /// Speaker, from a `speaker` column or the audio path's `SPEAKERnnnn` folder; used to keep speakers
  /// out of the folds they are tested on.
  public var speaker: String
  /// The CSV line it came from.
  public var line: Int
  /// The speaker's age in years, from an optional `age` column (for agreement by age band).
  public var ageYears: Int?

  public init(
    id: String, audioPath: String, text: String?, referencePath: String? = nil, speaker: String, line: Int = 0
  ) {
    self.id = id
    self.audioPath = audioPath
    self.text = text
    self.referencePath = referencePath
    self.speaker = speaker
    self.line = line
  }
}

/// A manifest CSV: `utt` or `id`, `audio` (relative to the CSV's folder), optional `text`, `reference`, `speaker`.
///
/// Accepts speechocean762's `scores.csv` as it is: extra columns are ignored.
public enum ScoringManifest {
  /// Loads and checks a manifest.
  /// - Throws: `ExamError` naming the file and line: missing columns, empty or duplicate ids, empty audio.
  public static func load(path: String) throws(ExamError) -> [ManifestEntry] {
    let text = try InputFile.text(path)
    return try parse(text, source: path, baseDirectory: AtomicFile.parentOf(path))
  }

  /// Parses manifest text; relative paths are resolved against `baseDirectory`.
  public static func parse(_ text: String, source: String, baseDirectory: String) throws(ExamError) -> [ManifestEntry] {
    let table = try CSVTable(parsing: text, source: source)
    let idColumn = try idColumn(of: table)
    try table.require(columns: ["audio"])
    var entries: [ManifestEntry] = []
    var seen: Set<String> = []
    var errors: [ExamError] = []
    for row in table.rows {
      let id = table.value(row, idColumn).trimmingSpaces()
      let audio = table.value(row, "audio").trimmingSpaces()
      if id.isEmpty {
        errors.append(
          ExamError(
            .invalidInput, file: source, location: "line \(row.line), column \(idColumn)",
            "the id is empty", fix: "give every row a unique id"))
        continue
      }
      if !seen.insert(id).inserted {
        errors.append(
          ExamError(
            .invalidInput, file: source, location: "line \(row.line), column \(idColumn)",
            "the id '\(id)' appears twice", fix: "give every row a unique id"))
        continue
      }
      if audio.isEmpty {
        errors.append(
          ExamError(
            .invalidInput, file: source, location: "line \(row.line), column audio",
            "no audio path for '\(id)'", fix: "give the path of the recording, relative to the CSV's folder"))
        continue
      }
      let reference = table.value(row, "reference").trimmingSpaces()
      let prompt = table.value(row, "text").trimmingSpaces()
      var speaker = table.value(row, "speaker").trimmingSpaces()
      if speaker.isEmpty { speaker = speakerFromPath(audio) ?? id }
      var entry = ManifestEntry(
        id: id, audioPath: resolve(audio, against: baseDirectory), text: prompt.isEmpty ? nil : prompt,
        referencePath: reference.isEmpty ? nil : resolve(reference, against: baseDirectory),
        speaker: speaker, line: row.line)
      entry.ageYears = Int(table.value(row, "age").trimmingSpaces())
      entries.append(entry)
    }
    if errors.count == 1 { throw errors[0] }
    if !errors.isEmpty {
      throw ExamError(
        .invalidInput, file: source,
        "\(errors.count) bad rows; the first: \(errors[0].location ?? ""): \(errors[0].message)",
        fix: "mend every listed row and run again")
    }
    return entries
  }

  /// `utt` or `id`, whichever the header has.
  static func idColumn(of table: CSVTable) throws(ExamError) -> String {
    if table.index(of: "utt") != nil { return "utt" }
    if table.index(of: "id") != nil { return "id" }
    throw ExamError(
      .invalidInput, file: table.source, location: "line 1",
      "the header has neither an `utt` nor an `id` column (found: \(table.header.joined(separator: ",")))",
      fix: "name the answer id column `id` (or `utt`)")
  }

  /// The digits of a `SPEAKERnnnn` folder in `path`, e.g. `0001` from `audio/SPEAKER0001/x.flac`.
  public static func speakerFromPath(_ path: String) -> String? {
    for part in path.split(separator: "/") where part.hasPrefix("SPEAKER") {
      let rest = part.dropFirst("SPEAKER".count)
      if !rest.isEmpty && rest.allSatisfy(\.isNumber) { return String(rest) }
    }
    return nil
  }

  static func resolve(_ path: String, against base: String) -> String {
    if path.hasPrefix("/") || base.isEmpty { return path }
    return base + "/" + path
  }
}
