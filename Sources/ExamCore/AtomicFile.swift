#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Crash-safe file writes: write a temporary file beside the target, fsync it, rename it over the target,
/// and fsync the folder. A reader sees the old file or the new one, never half of one.
public enum AtomicFile {
  /// Writes `bytes` to `path` atomically, creating parent folders (mode 0644).
  /// - Throws: `ExamError.io` naming the path and the OS error.
  public static func write(_ bytes: some Collection<UInt8>, to path: String) throws(ExamError) {
    try write(bytes, to: path, mode: 0o644)
  }

  /// `write(_:to:)` with the file's permissions from its creation on (`0o600` for secrets and identities: never
  /// readable by others, not even between the write and a later chmod).
  public static func write(_ bytes: some Collection<UInt8>, to path: String, mode: mode_t) throws(ExamError) {
    try makeDirectories(parentOf(path))
    let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else { throw osError("cannot create", temporary) }
    var ok = true
    let array = Array(bytes)
    array.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = Glibc_write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n <= 0 {
          if errno == EINTR { continue }
          ok = false
          return
        }
        offset += n
      }
    }
    if ok && fsync(fd) != 0 { ok = false }
    let saved = errno
    close(fd)
    guard ok else {
      unlink(temporary)
      errno = saved
      throw osError("cannot write", path)
    }
    try commit(temporary: temporary, to: path)
  }

  /// Writes UTF-8 text atomically.
  public static func write(text: String, to path: String) throws(ExamError) {
    try write(Array(text.utf8), to: path, mode: 0o644)
  }

  /// Writes UTF-8 text atomically, created with `mode`.
  public static func write(text: String, to path: String, mode: mode_t) throws(ExamError) {
    try write(Array(text.utf8), to: path, mode: mode)
  }

  /// Renames a finished, fsynced temporary file over `path` and fsyncs the folder.
  public static func commit(temporary: String, to path: String) throws(ExamError) {
    guard rename(temporary, path) == 0 else {
      let error = osError("cannot move into place", path)
      unlink(temporary)
      throw error
    }
    syncDirectory(parentOf(path))
  }

  /// Fsyncs a folder so a rename in it survives a power cut.
  public static func syncDirectory(_ directory: String) {
    let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
  }

  /// Creates `directory` and its parents (like `mkdir -p`).
  /// - Parameter mode: permissions of the folders it creates (0700 for folders that will hold identities or
  ///   secrets, so they are private from the moment they exist); existing folders are left as they are.
  public static func makeDirectories(_ directory: String, mode: mode_t = 0o755) throws(ExamError) {
    guard !directory.isEmpty else { return }
    var current = directory.hasPrefix("/") ? "" : "."
    for part in directory.split(separator: "/") {
      let parent = current
      current += "/" + part
      if mkdir(current, mode) == 0 {
        // a new folder survives a power cut only once its parent is synced
        syncDirectory(parent.isEmpty ? "/" : parent)
      } else if errno != EEXIST {
        throw osError("cannot create the folder", current)
      }
    }
  }

  /// The folder part of a path ("" for a bare name).
  public static func parentOf(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  static func osError(_ what: String, _ path: String) -> ExamError {
    let text = String(cString: strerror(errno))
    return ExamError(
      .io, file: path, "\(what) the file", fix: "check free space and permissions on the folder",
      underlying: text)
  }
}

#if canImport(Glibc)
  // swift-format-ignore: AlwaysUseLowerCamelCase
  @inline(__always) private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    Glibc.write(fd, buffer, count)
  }
#else
  // swift-format-ignore: AlwaysUseLowerCamelCase
  @inline(__always) private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    Darwin.write(fd, buffer, count)
  }
#endif
