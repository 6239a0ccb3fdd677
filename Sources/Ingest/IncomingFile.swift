import Crypto
import ExamCore
import Signing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Streamed file operations of ingest: copy-while-hashing into the store's incoming folder, hashing, and the
/// per-run work folder that a crash may leave behind (removed by the next run).
enum IncomingFile {
  /// Block size for streamed reads and copies (bytes).
  static let blockBytes = 1 << 20

  /// Copies `source` to `destination` (created, fsynced) and returns the SHA-256 of the bytes copied.
  /// The copy is what gets decoded and stored, so the bytes hashed are the bytes kept, even if the source changes.
  static func copyHashing(_ source: String, to destination: String) throws(ExamError) -> String {
    let input = open(source, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { throw osError("cannot read", source) }
    defer { close(input) }
    let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard output >= 0 else { throw osError("cannot create", destination) }
    var hasher = SHA256()
    var buffer = [UInt8](repeating: 0, count: blockBytes)
    var failure: ExamError?
    while failure == nil {
      let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 { failure = osError("cannot read", source); break }
      if n == 0 { break }
      buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
      var offset = 0
      while offset < n {
        let written = buffer.withUnsafeBytes { write(output, $0.baseAddress! + offset, n - offset) }
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { failure = osError("cannot write", destination); break }
        offset += written
      }
    }
    if failure == nil && fsync(output) != 0 { failure = osError("cannot sync", destination) }
    close(output)
    if let failure {
      unlink(destination)
      throw failure
    }
    return Digest.hex(hasher.finalize())
  }

  /// SHA-256 of a file, streamed.
  static func sha256(_ path: String) throws(ExamError) -> String { try Digest.sha256(fileAtPath: path) }

  /// Copies `source` to `destination` atomically (temporary file, fsync, rename), creating folders.
  static func copyAtomically(_ source: String, to destination: String) throws(ExamError) {
    try AtomicFile.makeDirectories(AtomicFile.parentOf(destination))
    let temporary = destination + ".tmp-\(getpid())"
    _ = try copyHashing(source, to: temporary)
    try AtomicFile.commit(temporary: temporary, to: destination)
  }

  /// Kind of entry at `path` without following links.
  enum Kind { case missing, regular, directory, link, other }

  static func kind(_ path: String) -> Kind {
    var s = stat()
    guard lstat(path, &s) == 0 else { return .missing }
    switch s.st_mode & S_IFMT {
    case S_IFREG: return .regular
    case S_IFDIR: return .directory
    case S_IFLNK: return .link
    default: return .other
    }
  }

  /// Every entry under `root` (relative paths, not following links), sorted; links and specials are returned
  /// too so they can be refused by name.
  static func walk(_ root: String) -> [(relative: String, kind: Kind)] {
    var found: [(String, Kind)] = []
    var pending = [""]
    while let relative = pending.popLast() {
      let folder = relative.isEmpty ? root : root + "/" + relative
      guard let dir = opendir(folder) else { continue }
      while let entry = readdir(dir) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
          $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name == "." || name == ".." { continue }
        let child = relative.isEmpty ? name : relative + "/" + name
        let k = kind(root + "/" + child)
        if k == .directory { pending.append(child) } else { found.append((child, k)) }
      }
      closedir(dir)
    }
    return found.sorted { $0.0 < $1.0 }
  }

  /// Removes `path` and everything under it (not following links).
  static func removeTree(_ path: String) {
    switch kind(path) {
    case .missing: return
    case .directory:
      for entry in walk(path).reversed() { unlink(path + "/" + entry.relative) }
      var folders: [String] = []
      var pending = [path]
      while let folder = pending.popLast() {
        folders.append(folder)
        guard let dir = opendir(folder) else { continue }
        while let entry = readdir(dir) {
          let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
          }
          if name != "." && name != ".." && kind(folder + "/" + name) == .directory {
            pending.append(folder + "/" + name)
          }
        }
        closedir(dir)
      }
      for folder in folders.reversed() { rmdir(folder) }
    default: unlink(path)
    }
  }

  /// Removes work folders `<incoming>/<pid>-…` of ingest processes that no longer run (left by a crash).
  static func removeStaleWorkFolders(in incoming: String) {
    guard let dir = opendir(incoming) else { return }
    var stale: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      guard let dash = name.firstIndex(of: "-"), let pid = Int32(name[..<dash]) else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH { stale.append(incoming + "/" + name) }
    }
    closedir(dir)
    for folder in stale { removeTree(folder) }
  }

  static func osError(_ what: String, _ path: String) -> ExamError {
    ExamError(
      .io, file: path, "\(what) the file", fix: "check permissions and free space",
      underlying: String(cString: strerror(errno)))
  }
}

extension IncomingFile {
  /// The first `count` bytes of a file (fewer when it is shorter).
  static func readPrefix(_ path: String, count: Int) throws(ExamError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw osError("cannot read", path) }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: count)
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
    return n > 0 ? Array(buffer[0..<n]) : []
  }
}
