import CFuzzDriver

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The fuzzer's bytes, as the parsers under test take them.
public enum FuzzInput {
  /// The bytes as text; invalid UTF-8 is repaired, as `String(decoding:)` does for every reader of outside text.
  public static func text(_ start: UnsafeRawPointer, _ count: Int) -> String {
    String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
  }

  /// Writes the bytes to one scratch file of this process (replaced on every input) and returns its path,
  /// for parsers that read files (zip, audio).
  public static func file(_ start: UnsafeRawPointer, _ count: Int, suffix: String) -> String {
    let path = "/tmp/examkit-fuzz-\(getpid())\(suffix)"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    precondition(fd >= 0, "cannot write \(path)")
    var offset = 0
    while offset < count {
      let n = write(fd, start + offset, count - offset)
      precondition(n > 0, "cannot write \(path)")
      offset += n
    }
    close(fd)
    return path
  }
}

/// Starts libFuzzer's loop over `callback` with this process's command line.
public enum FuzzEntry {
  public typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

  public static func run(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ callback: Callback
  ) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
  }
}
