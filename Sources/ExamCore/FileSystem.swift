#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Small file-system questions without Foundation.
public enum FileSystem {
  public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

  public static func isDirectory(_ path: String) -> Bool {
    var s = stat()
    return stat(path, &s) == 0 && (s.st_mode & S_IFMT) == S_IFDIR
  }

  /// Size in bytes, or nil when the file does not exist.
  public static func size(_ path: String) -> Int? {
    var s = stat()
    return stat(path, &s) == 0 ? Int(s.st_size) : nil
  }

  /// What is at a path, without following a link there.
  public enum Kind: Sendable, Equatable {
    case missing, file, directory, symbolicLink, other

    /// How messages name it.
    public var noun: String {
      switch self {
      case .missing: "nothing"
      case .file: "a file"
      case .directory: "a folder"
      case .symbolicLink: "a symbolic link"
      case .other: "a device, socket or pipe"
      }
    }
  }

  /// The kind of `path` itself (`lstat`: a link is reported as a link, not as what it points to).
  public static func kind(_ path: String) -> Kind {
    var info = stat()
    guard lstat(path, &info) == 0 else { return .missing }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    case S_IFLNK: return .symbolicLink
    default: return .other
    }
  }
}
