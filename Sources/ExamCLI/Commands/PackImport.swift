import ArgumentParser
import ExamCore
import ExamStorage
import Packs

extension ExamCommand {
  struct PackImport: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Verify a built pack and register its exam, items and rubrics in the store.",
      discussion: """
        Verifies the pack, stores each reference reading as 16 kHz mono FLAC in the content store (store/ beside \
        the database) and the pack itself, then records the exam in one transaction with its audit line. Importing \
        the same pack again changes nothing; a different pack under an existing exam id is refused.

        Example:
          exam pack import SH-2026-EL.exampack --pubkey office.pub
          exam pack import secret.exampack --pubkey office.pub --key secret.key --json
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The .exampack file.") var pack: String
    @OptionGroup var keys: PackKeyOptions
    @Flag(help: "Print the result as JSON.") var json = false

    var auditArguments: [String] {
      [pack] + (keys.publicKey.map { ["--pubkey", $0] } ?? []) + (keys.contentKey.map { ["--key", $0] } ?? [])
    }

    func run(_ context: CommandContext) async throws {
      let (trusted, content) = try keys.load()
      let database = context.database
      let report = try PackImporter.importPack(pack, database: database, store: context.contentStore,
        audit: context.audit(""),
        trustedKey: trusted, contentKey: content)
      if json {
        print(JSONOutput.string(report))
      } else if report.outcome == "unchanged" {
        print("exam \(report.examId) was already imported from this pack; nothing changed")
      } else {
        print("imported exam \(report.examId): \(report.sections) sections, \(report.items) items, "
          + "\(NumberText.plain(report.totalPoints)) points, \(report.referenceAudio) reference readings in the content store")
        if trusted == nil { print("note: the signer was not checked against a trusted key (pass --pubkey)") }
      }
    }
  }
}
