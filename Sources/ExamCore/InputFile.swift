#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reading input files whole, with errors that name the file: the one place commands and capabilities open
/// a small input (CSV, YAML, JSON, keys). Large CSV files go through `CSVFileReader` instead.
public enum InputFile {
  /// Checks that `path` names a file that can be read as input, so that a wrong path is reported as such
  /// (exit 65) instead of as a read failure (exit 1).
  /// - Throws: `ExamError.notFound` when nothing is there, `.invalidInput` when it is a folder (or a device,
  ///   socket or pipe).
  public static func requireRegularFile(_ path: String) throws(ExamError) {
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw ExamError(.notFound, file: path, "there is no such file", fix: "check the path")
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return
    case S_IFDIR:
      throw ExamError(.invalidInput, file: path, "is a folder, not a file", fix: "name the file inside it")
    default:
      throw ExamError(.invalidInput, file: path, "is not a regular file", fix: "give the path of a file")
    }
  }

  /// The bytes of `path`.
  /// - Throws: `ExamError.notFound` when it does not exist, `.invalidInput` when it is a folder, `.io` when it
  ///   cannot be read.
  public static func bytes(_ path: String) throws(ExamError) -> [UInt8] {
    try requireRegularFile(path)
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw ExamError(
        .io, file: path, "cannot be read", fix: "check its permissions", underlying: String(cString: strerror(errno)))
    }
    defer { close(fd) }
    var out: [UInt8] = []
    out.reserveCapacity(FileSystem.size(path) ?? 0)
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw ExamError(
          .io, file: path, "cannot be read", fix: "check its permissions", underlying: String(cString: strerror(errno)))
      }
      if n == 0 { return out }
      out += buffer[..<n]
    }
  }

  /// The text of `path`, decoded by `TextDecoding` (UTF-8, UTF-16 with BOM, or GB18030).
  /// - Throws: as `bytes(_:)`, and `ExamError.unsupportedFormat` when it is not text in one of those encodings.
  public static func text(_ path: String) throws(ExamError) -> String {
    try TextDecoding.decode(try bytes(path), source: path).text
  }
}

extension CSVTable {
  /// Parses CSV bytes in any encoding `TextDecoding` reads.
  public init(decoding bytes: [UInt8], source: String) throws(ExamError) {
    try self.init(parsing: try TextDecoding.decode(bytes, source: source).text, source: source)
  }

  /// Reads and parses the CSV file at `path` (any encoding `TextDecoding` reads).
  public init(contentsOf path: String) throws(ExamError) {
    try self.init(decoding: try InputFile.bytes(path), source: path)
  }
}
