import ExamCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Private folders that hold a pack's extracted (decrypted) files while a command runs: `ROOT/examkit-pack-PID-N`,
/// created with mode 0700 (never readable by others, not even for a moment), removed when the command ends, and
/// — when a command was killed before it could remove its folder — swept by the next command that makes one
/// under the same root. Each folder is registered with `InterruptCleanup` before it exists, so a command that
/// called `InterruptCleanup.exitOnInterrupt()` removes it on Ctrl-C or SIGTERM too. `exam pack import` uses
/// `store/.scratch` beside the database; `inspect` the system's temporary directory.
enum PackScratch {
  static let prefix = "examkit-pack-"

  /// Sweeps stale folders under `root`, then makes a new empty one.
  /// - Throws: `ExamError.io` when the folder cannot be made.
  static func make(under root: String) throws(ExamError) -> String {
    try AtomicFile.makeDirectories(AtomicFile.parentOf(root))
    if mkdir(root, 0o700) != 0 && errno != EEXIST {
      throw ExamError(
        .io, file: root, "cannot create the scratch folder", fix: "check the folder's permissions and free space",
        underlying: String(cString: strerror(errno)))
    }
    sweep(root)
    let path = root + "/\(prefix)\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    InterruptCleanup.register(path)
    guard mkdir(path, 0o700) == 0 else {
      InterruptCleanup.unregister(path)
      throw ExamError(
        .io, file: path, "cannot create a private temporary folder",
        fix: "check the folder's permissions and free space", underlying: String(cString: strerror(errno)))
    }
    return path
  }

  /// Removes a folder `make` returned, with everything in it.
  static func remove(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
    InterruptCleanup.unregister(path)
  }

  /// Removes every `examkit-pack-PID-*` folder under `root` whose process is gone; returns how many.
  @discardableResult
  static func sweep(_ root: String) -> Int {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return 0 }
    var removed = 0
    for name in names where name.hasPrefix(prefix) {
      let rest = name.dropFirst(prefix.count)
      guard let pid = rest.split(separator: "-").first.flatMap({ Int32($0) }), pid > 0, !isRunning(pid) else {
        continue
      }
      var info = stat()
      guard lstat(root + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid() else {
        continue
      }
      if (try? FileManager.default.removeItem(atPath: root + "/" + name)) != nil { removed += 1 }
    }
    return removed
  }

  /// Whether a process with this id exists (signal 0 checks without sending anything).
  static func isRunning(_ pid: Int32) -> Bool {
    pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
  }
}
