import ExamCore

/// Validates a pack folder (`pack.yaml` + media) completely, reporting every problem at once.
public enum PackValidator {
  /// The source file's name inside a pack folder.
  public static let sourceFileName = "pack.yaml"

  /// Reads and checks the pack in `directory`.
  /// - Parameter displayDirectory: how to name the folder in messages (defaults to `directory`).
  /// - Throws: `ExamErrors` listing every problem, each naming `pack.yaml`, the key path and the fix.
  public static func validate(directory: String, displayDirectory: String? = nil) throws(ExamErrors) -> ValidatedPack {
    let shown = (displayDirectory ?? directory) + "/" + sourceFileName
    let diagnostics = PackDiagnostics(file: shown)
    let yamlPath = directory + "/" + sourceFileName
    guard FileSystem.isDirectory(directory) else {
      throw ExamErrors([
        ExamError(
          .notFound, file: displayDirectory ?? directory, "is not a folder",
          fix: "name the pack folder that holds pack.yaml and its media")
      ])
    }
    guard let bytes = try? InputFile.bytes(yamlPath) else {
      throw ExamErrors([
        ExamError(
          .notFound, file: shown, "no pack.yaml in the pack folder",
          fix: "write pack.yaml (see docs/pack-format.md, or copy ExamPacks/SH-2026-EL/pack.yaml)")
      ])
    }
    guard bytes.count <= PackSchema.maxSourceBytes else {
      throw ExamErrors([
        ExamError(
          .invalidInput, file: shown, "is \(bytes.count) bytes, more than \(PackSchema.maxSourceBytes)",
          fix: "keep long texts short and media in their own files; split the paper into several packs")
      ])
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw ExamErrors([ExamError(.invalidInput, file: shown, "is not UTF-8 text", fix: "save pack.yaml as UTF-8")])
    }
    guard let source = PackSource.parse(yaml: text, diagnostics: diagnostics) else {
      throw ExamErrors(diagnostics.errors)
    }
    var media = PackMediaCheck(directory: directory, diagnostics: diagnostics)
    PackChecks(source: source, diagnostics: diagnostics).run(media: &media)
    let validated = ValidatedPack(
      directory: directory, source: source, files: media.fileList, audioSeconds: media.audioSeconds)
    if diagnostics.isEmpty { TimingChecks.run(validated, diagnostics) }
    if !media.links.isEmpty {
      for link in media.links.sorted() {
        diagnostics.report(
          at: "", "the pack folder holds '\(link)', a symbolic link or special file",
          fix: "replace it with a real file or remove it: packs carry regular files only")
      }
    }
    guard diagnostics.isEmpty else { throw ExamErrors(diagnostics.errors) }
    return validated
  }
}
