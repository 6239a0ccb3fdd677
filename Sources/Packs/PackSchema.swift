/// The keys `pack.yaml` allows at each level (docs/pack-format.md describes each one).
enum PackSchema {
  static let root = ["format", "exam", "sections"]
  static let exam = ["id", "title", "total_points", "part_points", "forms"]
  static let partPoints = ["listening", "speaking"]
  static let form = ["id", "item_order"]
  static let section = ["id", "title", "part", "points", "time_limit_seconds", "instructions", "passages", "items"]
  static let passage = ["id", "audio", "plays", "text"]
  static let item = [
    "id", "type", "points", "prompt_text", "prompt_audio", "plays", "prompt_seconds", "passage", "picture",
    "reference_text", "reference_audio", "question", "options", "answer", "preparation_seconds",
    "min_answer_seconds", "max_answer_seconds", "rubric",
  ]
  static let rubric = ["criteria", "tolerance", "resolution", "show_machine_mark"]
  static let criterion = ["name", "points", "description"]

  /// Bounds that keep a hostile pack.yaml (e.g. YAML aliases repeating one section many times) from exhausting
  /// time or memory: sections per paper, items in the whole paper, bytes of pack.yaml.
  static let maxSections = 100
  static let maxItems = 5_000
  static let maxSourceBytes = 4 << 20

  /// Audio containers accepted for prompts, passages and reference readings (read through libsndfile).
  static let audioExtensions = ["flac", "wav", "ogg", "opus", "mp3", "aiff", "aif"]
  /// Picture formats accepted for picture-talk items.
  static let pictureExtensions = ["png", "jpg", "jpeg", "svg"]
  /// Ids: letters, digits, `-`, `_`, `.`; 1–64 characters.
  static func isValidId(_ id: String) -> Bool {
    !id.isEmpty && id.utf8.count <= 64
      && id.utf8.allSatisfy {
        $0.isASCIIAlnum || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
      }
  }
}

extension UInt8 {
  var isASCIIAlnum: Bool {
    (48...57).contains(self) || (65...90).contains(self) || (97...122).contains(self)
  }
}
