/// Bounds on what a zip batch may expand to: the zip-bomb defence.
public struct ZipLimits: Sendable, Equatable {
  /// Most bytes all entries together may expand to.
  public var maximumTotalBytes: Int64
  /// Most bytes one entry may expand to.
  public var maximumEntryBytes: Int64
  /// Largest expansion ratio (uncompressed / compressed) allowed for entries above `ratioCheckedAbove` bytes.
  /// Audio barely compresses (FLAC, Ogg not at all; WAV speech about 1.1–2×), so a high ratio means a bomb.
  public var maximumRatio: Double
  /// Entries smaller than this (bytes) are not ratio-checked: a short silent WAV compresses enormously but is harmless.
  public var ratioCheckedAbove: Int64
  /// Most entries a batch may hold.
  public var maximumEntries: Int

  public init(
    maximumTotalBytes: Int64 = 16 << 30, maximumEntryBytes: Int64 = 2 << 30, maximumRatio: Double = 100,
    ratioCheckedAbove: Int64 = 16 << 20, maximumEntries: Int = 200_000
  ) {
    self.maximumTotalBytes = maximumTotalBytes
    self.maximumEntryBytes = maximumEntryBytes
    self.maximumRatio = maximumRatio
    self.ratioCheckedAbove = ratioCheckedAbove
    self.maximumEntries = maximumEntries
  }
}
