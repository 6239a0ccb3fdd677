import Foundation

/// A fresh folder under the system's temporary directory, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
  public let path: String

  public init(_ label: String = "examkit") {
    path = NSTemporaryDirectory() + "/\(label)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// `path/name`.
  public func file(_ name: String) -> String { path + "/" + name }

  public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body` with a temporary folder that is removed afterwards.
public func withTemporaryDirectory<R>(_ body: (TemporaryDirectory) async throws -> R) async rethrows -> R {
  let directory = TemporaryDirectory()
  defer { directory.remove() }
  return try await body(directory)
}
