/// Ids that become file names in an export folder (session, centre, room, rater ids) must stay one path component,
/// so that no id from a centres file or a rater list can make an export write outside its `--out` folder.
public enum PathComponent {
  /// Returns `id` when it is usable as one file-name component; otherwise throws `ExamError.invalidInput` naming it.
  /// - Parameter what: what the id is, for the message (`session id`, `rater id`).
  public static func checked(_ id: String, what: String, source: String? = nil) throws(ExamError) -> String {
    let bad =
      id.isEmpty || id == "." || id == ".." || id.hasPrefix(".")
      || id.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }
    guard !bad else {
      throw ExamError(
        .invalidInput, file: source, location: what, "\(id.debugDescription) cannot name a file in an export folder",
        fix: "use ids without '/', '\\', control characters or a leading '.', then import again")
    }
    return id
  }
}
