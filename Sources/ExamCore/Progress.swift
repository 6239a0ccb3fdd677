#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Progress of a long job on standard error: a redrawn bar on a terminal, plain lines otherwise.
///
/// Plain mode prints at most one line per `plainInterval` completed units (and the last), so logs of a
/// 100,000-answer job stay readable. Not thread-safe: call it from the task that collects results.
public struct ProgressReporter: Sendable {
  public let label: String
  public let total: Int
  public private(set) var completed = 0
  private let isTerminal: Bool
  private let enabled: Bool
  private let plainInterval: Int
  private var lastDrawnPercent = -1

  public init(label: String, total: Int, enabled: Bool = true) {
    self.label = label
    self.total = max(total, 0)
    self.enabled = enabled
    self.isTerminal = isatty(2) == 1 && ProgressReporter.environment("TERM") != "dumb"
    self.plainInterval = max(1, total / 20)
  }

  /// Records `count` more finished units and redraws.
  public mutating func advance(by count: Int = 1, note: String? = nil) {
    completed += count
    guard enabled else { return }
    let percent = total == 0 ? 100 : completed * 100 / total
    if isTerminal {
      guard percent != lastDrawnPercent || completed == total else { return }
      lastDrawnPercent = percent
      let width = 30
      let filled = total == 0 ? width : completed * width / total
      let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
      ProgressReporter.writeError("\r\(label) [\(bar)] \(completed)/\(total) \(percent)%")
      if completed >= total { ProgressReporter.writeError("\n") }
    } else if completed / plainInterval != (completed - count) / plainInterval || completed >= total {
      // crossed a 5 % step
      ProgressReporter.writeError("\(label): \(completed)/\(total) (\(percent)%)\(note.map { " " + $0 } ?? "")\n")
    }
  }

  static func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
  }

  /// Writes text to standard error without buffering.
  public static func writeError(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { raw in
      var offset = 0
      while offset < raw.count {
        let written = write(2, raw.baseAddress! + offset, raw.count - offset)
        if written <= 0 { return }
        offset += written
      }
    }
  }
}
