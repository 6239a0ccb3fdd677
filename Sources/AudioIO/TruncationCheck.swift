/// Decides whether a decoded file was cut short, from what its header promised and libsndfile's parser log.
///
/// libsndfile quietly trims a truncated WAV or AIFF to the bytes present (the header's count is lost, but the
/// log keeps `data : 128000 (should be 76782)` or `Chunk size … > file length …`); a truncated FLAC decodes
/// fewer frames than STREAMINFO declares; a truncated Ogg ends without its end-of-stream page.
public enum TruncationCheck {
  /// A short human-readable reason when the file is truncated, else nil.
  /// - Parameters:
  ///   - headerFrames: frames the header declares (`Int64.max`-like values mean "unknown").
  ///   - framesRead: frames actually decoded.
  ///   - format: `AudioFileInfo.format`; MPEG and Ogg headers only estimate their length, so the frame
  ///     comparison is skipped for them.
  ///   - log: libsndfile's `SFC_GET_LOG_INFO` text.
  public static func evidence(headerFrames: Int, framesRead: Int, format: String, log: String) -> String? {
    if AudioFileInfo.formatHasExactFrameCount(format), headerFrames > 0, headerFrames < Int(Int32.max) * 64,
      framesRead < headerFrames
    {
      return "the header declares \(headerFrames) frames but only \(framesRead) could be decoded"
    }
    for line in log.split(separator: "\n") {
      let text = String(line)
      if text.hasPrefix("data :") || text.hasPrefix("SSND :"), let (declared, present) = declaredVersusPresent(text),
        declared > present, declared < 0xFFFF_FFF0
      {
        return "the header declares \(declared) bytes of audio but the file holds \(present)"
      }
      if text.contains("Chunk size") && text.contains("> file length") {
        return "a chunk runs past the end of the file (\(text.trimmingSpaces().trimmingPrefix("*** ")))"
      }
      if text.contains("File ended unexpectedly") {
        return "the stream ends without its end marker"
      }
    }
    return nil
  }

  /// Parses `data : 128000 (should be 76782)` into (128000, 76782).
  static func declaredVersusPresent(_ line: String) -> (Int, Int)? {
    guard let colon = line.firstIndex(of: ":"), let open = line.firstIndex(of: "("),
      let close = line.lastIndex(of: ")"), open < close
    else { return nil }
    let declared = line[line.index(after: colon)..<open].trimmingSpaces()
    let inner = line[line.index(after: open)..<close]
    guard inner.hasPrefix("should be "), let d = Int(declared),
      let p = Int(inner.dropFirst("should be ".count).trimmingSpaces())
    else { return nil }
    return (d, p)
  }
}

extension String {
  fileprivate func trimmingPrefix(_ prefix: String) -> String {
    hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
  }
}

extension Substring {
  fileprivate func trimmingSpaces() -> String { String(self).trimmingSpaces() }
}
