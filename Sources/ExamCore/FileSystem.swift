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
}
