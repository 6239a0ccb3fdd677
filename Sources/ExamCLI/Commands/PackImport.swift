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
        The pack must be signed by a key trusted in this store (`exam keys trust office.pub`; with --pubkey, by that \
        key, which must be trusted too): an unsigned pack, or one signed by any other key, is refused before \
        anything in it is extracted. --allow-unsigned accepts one anyway (drafts), warns, and says so in the audit \
        trail. Encrypted packs are decrypted into a private folder in the store (store/.scratch, mode 0700), \
        removed when the command ends and swept by the next import if it was killed.

        Verifies the pack, stores each reference reading as 16 kHz mono FLAC in the content store (store/ beside \
        the database) and the pack itself, then records the exam in one transaction with its audit line. Importing \
        the same pack again changes nothing; a different pack under an existing exam id is refused.

        Example:
          exam keys trust office.pub
          exam pack import SH-2026-EL.exampack
          exam pack import secret.exampack --pubkey office.pub --key secret.key --json
        """)

    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The .exampack file.") var pack: String
    @OptionGroup var keys: PackKeyOptions
    @Flag(help: "Print the result as JSON.") var json = false

    var auditArguments: [String] { [pack] + keys.auditArguments }

    func run(_ context: CommandContext) async throws {
      InterruptCleanup.exitOnInterrupt()  // Ctrl-C removes the decrypted files (store/.scratch) at once
      let (given, content) = try keys.load()
      let database = context.sitting
      var trust = try await PackImporter.trust(database: database, allowUnsigned: keys.allowUnsigned)
      if let given {
        guard trust.keys.contains(where: { $0.base64 == given.base64 }) else {
          throw ExamError(
            .invalidInput, file: keys.publicKey, "key \(given.fingerprint) is not trusted in this store",
            fix:
              "trust it first with `exam keys trust \(keys.publicKey ?? "office.pub")` (check its fingerprint with the exam office)"
          )
        }
        trust.keys = [given]
      }
      let report = try await PackImporter.importPack(
        pack, database: database, store: context.contentStore,
        audit: context.audit(""), trust: trust, contentKey: content)
      if !report.signerTrusted {
        ProgressReporter.writeError(
          "warning: \(pack) \(report.signer.map { "is signed by key \($0), which is not trusted" } ?? "is not signed"); "
            + "imported only because of --allow-unsigned, and the audit trail says so\n")
      }
      if json {
        print(JSONOutput.string(report))
      } else if report.outcome == "unchanged" {
        print("exam \(report.examId) was already imported from this pack; nothing changed")
      } else {
        print(
          "imported exam \(report.examId): \(report.sections) sections, \(report.items) items, "
            + "\(NumberText.plain(report.totalPoints)) points, \(report.referenceAudio) reference readings in the content store"
        )
      }
    }
  }
}
