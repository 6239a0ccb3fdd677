import ExamCore

/// A batch opened for reading: the folder holding manifest.csv (the given folder, or the zip unpacked into the
/// run's work folder), the regular files in it, and the entries refused on the way (links, unsafe zip entries).
struct BatchSource {
  var folder: String
  var files: Set<String>
  var refusals: [Refusal]

  static func open(_ path: String, work: String, limits: ZipLimits, showProgress: Bool) throws(ExamError) -> BatchSource
  {
    var root = path
    var refusals: [Refusal] = []
    switch IncomingFile.kind(path) {
    case .missing:
      throw ExamError(.notFound, file: path, "no such batch", fix: "give the folder or .zip the centre uploaded")
    case .directory:
      break
    case .regular:
      guard isZip(path) else {
        throw ExamError(
          .unsupportedFormat, file: path, "is neither a folder nor a zip archive",
          fix: "give the batch folder, or the batch zipped")
      }
      root = work + "/batch"
      try AtomicFile.makeDirectories(root)
      refusals = try ZipBatch(limits: limits).unpack(path, into: root, showProgress: showProgress).refusals
    default:
      throw ExamError(
        .unsupportedFormat, file: path, "is not a folder or a regular file", fix: "give the batch folder or zip")
    }
    let folder = try locateManifest(root, shown: path)
    let prefix = folder == root ? "" : String(folder.dropFirst(root.count + 1)) + "/"
    var files = Set<String>()
    for entry in IncomingFile.walk(folder) {
      let relative = entry.relative
      if relative == "manifest.csv" || relative == "answers.csv" || BatchPath.isSystemLitter(relative) { continue }
      switch entry.kind {
      case .regular: files.insert(relative)
      case .link:
        refusals.append(
          Refusal(file: relative, reason: .unsafePath, message: "is a symbolic link; links are never followed"))
      default: refusals.append(Refusal(file: relative, reason: .unsafePath, message: "is not a regular file"))
      }
    }
    // zip refusals are named from the zip's root; make them relative to the manifest's folder
    refusals = refusals.map { r in
      var r = r
      if !prefix.isEmpty, r.file.hasPrefix(prefix) { r.file.removeFirst(prefix.count) }
      return r
    }
    return BatchSource(folder: folder, files: files, refusals: refusals)
  }

  /// `root` when it holds manifest.csv, else its only subfolder that does (zips often wrap the batch in a folder).
  static func locateManifest(_ root: String, shown: String) throws(ExamError) -> String {
    if IncomingFile.kind(root + "/manifest.csv") == .regular { return root }
    let candidates = IncomingFile.walk(root).filter {
      $0.kind == .regular && $0.relative.hasSuffix("/manifest.csv") && $0.relative.split(separator: "/").count == 2
        && !BatchPath.isSystemLitter($0.relative)
    }
    guard candidates.count == 1, let only = candidates.first else {
      throw ExamError(
        .invalidInput, file: shown,
        candidates.isEmpty
          ? "holds no manifest.csv"
          : "holds several manifest.csv files (\(candidates.map(\.relative).joined(separator: ", ")))",
        fix: "put one manifest.csv (candidate,item,file,seat,recorded_at,sha256) at the top of the batch")
    }
    return root + "/" + only.relative.dropLast("/manifest.csv".count)
  }

  /// Whether the file starts with a zip signature.
  static func isZip(_ path: String) -> Bool {
    guard let head = try? IncomingFile.readPrefix(path, count: 4) else { return false }
    return head.count == 4 && head[0] == 0x50 && head[1] == 0x4B && (head[2] == 3 || head[2] == 5)
      && (head[3] == 4 || head[3] == 6)
  }
}
