import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Private folders a command must not leave behind even when it is interrupted (Ctrl-C, `kill`): decrypted packs
/// in `store/.scratch` (#17 class 9). Their owner registers each folder before creating it and unregisters it
/// once removed; a command that makes such folders calls `exitOnInterrupt()` first, so SIGINT or SIGTERM removes
/// every registered folder and exits 128 + the signal's number (130 for Ctrl-C, 143 for `kill`).
///
/// Not for SIGKILL or a power cut: whatever those leave is swept by the next command (`PackScratch.sweep`).
public enum InterruptCleanup {
  private static let folders = Mutex<Set<String>>([])
  private static let sources = Mutex<[any DispatchSourceSignal]>([])
  /// Set when a signal's handler has begun: from then on the handler ends the process.
  private static let interrupting = Atomic<Bool>(false)

  /// Exit status after `signal`, as shells report it.
  public static func exitStatus(after signal: Int32) -> Int32 { 128 + signal }

  /// Adds a folder to remove on interruption (register it before creating it, so no moment goes unguarded).
  public static func register(_ folder: String) {
    _ = folders.withLock { $0.insert(folder) }
  }

  /// Forgets a folder (after the owner removed it, or kept it on purpose).
  public static func unregister(_ folder: String) {
    _ = folders.withLock { $0.remove(folder) }
  }

  /// The folders registered now.
  public static var registered: Set<String> { folders.withLock { $0 } }

  /// From now on SIGINT and SIGTERM remove every registered folder, say so on standard error and end the process
  /// with `exitStatus(after:)`. Calling it again changes nothing. Commands with their own graceful stop (a
  /// worker, the server) do not call it.
  public static func exitOnInterrupt() {
    sources.withLock { installed in
      guard installed.isEmpty else { return }
      installed = [SIGINT, SIGTERM].map { number in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global(qos: .userInitiated))
        source.setEventHandler {
          interrupting.store(true, ordering: .sequentiallyConsistent)
          let (removed, blockers) = removeRegisteredLeavingBlockers()
          let note = "interrupted: \(removed) private temporary folder(s) removed\n"
          _ = note.withCString { write(2, $0, strlen($0)) }
          // the blocking files go last, just before the end, so no thread of the command can remake a folder
          for blocker in blockers { unlink(blocker) }
          _exit(exitStatus(after: number))
        }
        source.resume()
        return source
      }
    }
  }

  /// Waits for the end of the process when an interruption's handler has begun, so that the command's own ending
  /// (an error because the handler took a folder away under it, or success) cannot beat the handler's exit status
  /// and message; returns at once otherwise. The command's top level calls it before it reports and exits.
  public static func yieldToInterrupt() {
    guard interrupting.load(ordering: .sequentiallyConsistent) else { return }
    while true { sleep(60) }
  }

  /// Removes every registered folder and forgets it; returns how many were there. The command may still be
  /// writing into them from another thread, and would make a removed folder again (`mkdir -p`): so each is first
  /// renamed aside and a file put in its place (which makes any `mkdir` or write under the name fail), then the
  /// renamed folder is removed, and the file last. What a thread still manages to write in the instant before the
  /// process ends is swept by the next command.
  @discardableResult
  public static func removeRegistered() -> Int {
    let (removed, blockers) = removeRegisteredLeavingBlockers()
    for blocker in blockers { unlink(blocker) }
    return removed
  }

  /// `removeRegistered()` without removing the files put in the folders' places: the caller unlinks them.
  private static func removeRegisteredLeavingBlockers() -> (removed: Int, blockers: [String]) {
    let all = folders.withLock { taken in
      defer { taken.removeAll() }
      return taken
    }
    var removed = 0
    var blockers: [String] = []
    for folder in all.sorted() {
      var aside: [String] = []
      var blocker: Int32 = -1
      for attempt in 0..<8 {
        let moved = folder + ".interrupted-\(attempt)"
        if rename(folder, moved) == 0 { aside.append(moved) }
        blocker = open(folder, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if blocker >= 0 { break }
      }
      if aside.isEmpty && blocker < 0 { aside.append(folder) }  // could not be renamed: remove it where it is
      for path in aside where (try? FileManager.default.removeItem(atPath: path)) != nil { removed += 1 }
      if blocker >= 0 {
        close(blocker)
        blockers.append(folder)
      }
    }
    return (removed, blockers)
  }
}
