import ExamCore
import ExamStorage
import Signing

extension PackSource {
  /// The items of every section in the order form `formIndex` (0-based, as seats alternate A, B, …) presents them.
  /// - Returns: section id → item ids; sections a form does not reorder keep the written order.
  public func itemOrder(form formIndex: Int) -> [String: [String]] {
    let form = forms.isEmpty ? nil : forms[((formIndex % forms.count) + forms.count) % forms.count]
    var order: [String: [String]] = [:]
    for section in sections { order[section.id] = form?.itemOrder[section.id] ?? section.items.map(\.id) }
    return order
  }
}

extension OpenedPack {
  /// Opens the pack an imported exam came from, kept in the content store by `exam pack import`
  /// (for what the store does not hold, such as the forms' item orders, prompt audio and pictures).
  /// - Throws: `ExamErrors` (`.notFound` when the store lacks the pack).
  public static func openImported(_ exam: ExamDefinition, store: ContentStore, contentKey: ContentKey? = nil)
    throws(ExamErrors) -> OpenedPack
  {
    let path = store.path(sha256: exam.packSha256, ext: "exampack")
    guard FileSystem.exists(path) else {
      throw ExamErrors([
        ExamError(
          .notFound, file: path, "the pack of exam \(exam.id) is not in the content store",
          fix: "import it again with `exam pack import FILE.exampack`")
      ])
    }
    // Trusted by its SHA-256, which the import that verified its signer recorded.
    return try open(
      path, trust: .pinned(sha256: exam.packSha256), contentKey: contentKey,
      scratchRoot: PackImporter.scratchRoot(store))
  }
}
