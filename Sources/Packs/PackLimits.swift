/// Bounds on what an untrusted pack may expand to, so a hostile zip cannot fill the disk or memory.
public struct PackLimits: Sendable, Equatable {
  /// Zip entries at most.
  public var maxEntries: Int
  /// Bytes of all entries together once decompressed.
  public var maxTotalBytes: UInt64
  /// Bytes of one entry once decompressed (each entry is held in memory while it is checked).
  public var maxEntryBytes: UInt64
  /// Largest decompressed : compressed ratio for an entry above `ratioFloorBytes`.
  public var maxRatio: UInt64
  /// Entries smaller than this (decompressed) are not held to `maxRatio`.
  public var ratioFloorBytes: UInt64

  public init(
    maxEntries: Int = 10_000, maxTotalBytes: UInt64 = 4 << 30, maxEntryBytes: UInt64 = 1 << 30,
    maxRatio: UInt64 = 100, ratioFloorBytes: UInt64 = 1 << 20
  ) {
    self.maxEntries = maxEntries
    self.maxTotalBytes = maxTotalBytes
    self.maxEntryBytes = maxEntryBytes
    self.maxRatio = maxRatio
    self.ratioFloorBytes = ratioFloorBytes
  }

  /// 10,000 entries, 4 GiB in all, 1 GiB per entry, ratio 100 above 1 MiB.
  public static let standard = PackLimits()
}
