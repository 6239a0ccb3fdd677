import ExamCore
import Signing

extension PackBuilder {
  /// Which content key `exam pack build` encrypts under.
  public enum KeyChoice: Sendable, Equatable {
    /// No encryption.
    case none
    /// A new key, written beside the pack (`keyPath(forPack:)`) with mode 0600.
    case new
    /// An existing key file (`--reuse-key`).
    case reuse(String)
  }

  /// Where a new content key for `pack` goes: `FILE.exampack` → `FILE.key`.
  public static func keyPath(forPack pack: String) -> String {
    (pack.hasSuffix(".exampack") ? String(pack.dropLast(".exampack".count)) : pack) + ".key"
  }

  /// The content key a build of `directory` into `output` uses, and the file a new key was written to.
  ///
  /// A new key is never written over an existing one (a key already released to centres must not be reused
  /// by accident), and only after the pack folder validated, so a bad folder leaves nothing behind.
  /// - Throws: `ExamError.conflict` when a key file of that name exists; `ExamErrors` from validation.
  public static func contentKey(_ choice: KeyChoice, directory: String, output: String) throws
    -> (key: ContentKey?, written: String?)
  {
    switch choice {
    case .none:
      return (nil, nil)
    case .reuse(let path):
      return (try ContentKey(contentsOf: path), nil)
    case .new:
      let path = keyPath(forPack: output)
      if FileSystem.exists(path) {
        let stopped = !FileSystem.exists(output) ? " (a previous build may have stopped before writing the pack)" : ""
        throw ExamError(
          .conflict, file: path, "a content key with this name exists already\(stopped)",
          fix: "pass --reuse-key \(path) to encrypt under it again, or move it away for a new key; "
            + "never reuse a key that was already released to centres")
      }
      _ = try PackValidator.validate(directory: directory)
      let key = ContentKey()
      try key.write(to: path)
      return (key, path)
    }
  }
}
