/// Why a file or a row of a batch was refused. The raw value is the stable code shown to centres and in `--json`.
public enum RefusalReason: String, Sendable, Codable, CaseIterable, Comparable {
  /// A manifest or answers row is malformed: a field is empty, the time is not ISO 8601, the sha256 is not hex.
  case badRow = "bad-row"
  /// The same candidate and item (or the same file) appears twice in the manifest.
  case duplicateRow = "duplicate-row"
  /// A manifest row names a file the batch does not hold.
  case missingFile = "missing-file"
  /// The batch holds a file no manifest row names.
  case unlistedFile = "unlisted-file"
  /// A path escapes the batch (`../`, absolute, a drive letter) or is a symbolic link.
  case unsafePath = "unsafe-path"
  /// A zip entry is too large, or expands too much for its compressed size (a zip bomb).
  case tooLarge = "too-large"
  /// The file has no bytes.
  case emptyFile = "empty-file"
  /// The file's SHA-256 is not the one the seat machine wrote in the manifest.
  case checksumMismatch = "checksum-mismatch"
  /// The candidate has no seat at this centre (or in this session) for this exam.
  case notAllocated = "not-allocated"
  /// The item is not in the exam.
  case unknownItem = "unknown-item"
  /// A recording for a listening item, or a listening choice for a spoken item.
  case wrongItemType = "wrong-item-type"
  /// libsndfile cannot read the file as audio (wrong extension, a document, a headerless stream).
  case notAudio = "not-audio"
  /// The file is shorter than its header declares (an interrupted upload or copy).
  case truncated
  /// The audio decodes with errors.
  case corrupt
  /// Sampled below 8 kHz: too little bandwidth to mark speech.
  case lowSampleRate = "low-sample-rate"
  /// Shorter than the item's minimum answer time.
  case tooShort = "too-short"
  /// Longer than the item's maximum answer time.
  case tooLong = "too-long"
  /// A different listening choice is already stored for this candidate and item; the stored one stands.
  case answerConflict = "answer-conflict"

  /// What the reason means and what the centre should do, for the report.
  public var explanation: String {
    switch self {
    case .badRow:
      "malformed row — fill every column; times as ISO 8601 (2026-06-14T09:05:00+08:00); sha256 as 64 hex digits"
    case .duplicateRow: "listed twice — keep one row per candidate and item"
    case .missingFile: "the manifest names a file the batch does not hold — add the file or remove the row"
    case .unlistedFile: "a file no manifest row names — add its row or leave it out of the batch"
    case .unsafePath: "the path escapes the batch or is a link — use plain relative paths inside the batch"
    case .tooLarge:
      "too large or expands too much (zip bomb defence) — send the recordings uncompressed or split the batch"
    case .emptyFile: "zero bytes — export the recording again from the seat machine"
    case .checksumMismatch:
      "the bytes differ from the seat machine's sha256 — copy the file again from the seat machine"
    case .notAllocated:
      "the candidate has no seat here for this exam — check the candidate number or send it to the right centre"
    case .unknownItem: "no such item in the exam — check the item id against the paper"
    case .wrongItemType: "a recording for a listening item, or a choice for a spoken item — check the item id"
    case .notAudio: "not readable as audio — send WAV, FLAC, Ogg Vorbis, AIFF or MP3 with the right extension"
    case .truncated: "shorter than its header says (interrupted copy) — copy it again from the seat machine"
    case .corrupt: "the audio is damaged — copy it again from the seat machine"
    case .lowSampleRate: "sampled below 8 kHz — record at 16 kHz or more"
    case .tooShort: "shorter than the item's answer window — check the seat machine's recorder"
    case .tooLong: "longer than the item's answer window — check that the file is this item's answer"
    case .answerConflict:
      "a different choice is already stored for this candidate and item — the first one stands; appeal through the office"
    }
  }

  public static func < (lhs: RefusalReason, rhs: RefusalReason) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Conditions that do not refuse a recording but are recorded with it and reported.
public enum RecordingFlag: String, Sendable, Codable, CaseIterable {
  /// No response: `LevelMeasurement.isSilent` (a silent answer is still an answer).
  case silent
  /// More than 0.2 % of samples at full scale: `LevelMeasurement.isClipped`.
  case clipped
  /// A run of digital zeros of 20 ms or more (a dropout in the recorder): `LevelMeasurement.hasZeroRun`.
  case zeroRun = "zero-run"
  /// The manifest's seat differs from the allocated one (a reseat on the day).
  case seatMismatch = "seat-mismatch"
}
