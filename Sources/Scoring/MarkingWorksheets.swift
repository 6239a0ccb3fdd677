import ExamCore

/// Rater worksheets: one CSV per rater, `rater-<id>.csv`, with the audio to listen to and an empty `points`
/// column to fill in. Candidates are not named (blind marking): answers are known by `answer_id`.
public enum MarkingWorksheets {
  public static let header = ["answer_id", "rater_id", "item_id", "item_type", "max_points", "audio", "text", "points"]

  /// The worksheet text for one rater.
  public static func text(raterId: String, tasks: [MarkingDesk.Task]) -> String {
    var writer = CSVWriter(header: header)
    for t in tasks.sorted(by: { $0.answerId < $1.answerId }) {
      writer.append([
        String(t.answerId), raterId, t.itemId, t.itemType, NumberText.plain(t.maxPoints), t.audio, t.text, "",
      ])
    }
    return writer.text
  }

  /// Writes every rater's worksheet into `directory` (atomically, one file each, owner-only like every export:
  /// `PrivateOutputFile`); returns the paths written.
  public static func write(_ byRater: [String: [MarkingDesk.Task]], to directory: String) throws(ExamError) -> [String]
  {
    try PrivateOutputFile.makeFolders(directory)
    var paths: [String] = []
    for (rater, tasks) in byRater.sorted(by: { $0.key < $1.key }) {
      let path = directory + "/rater-\(try PathComponent.checked(rater, what: "rater id")).csv"
      try PrivateOutputFile.writeAtomically(text(raterId: rater, tasks: tasks), to: path)
      paths.append(path)
    }
    return paths
  }
}
