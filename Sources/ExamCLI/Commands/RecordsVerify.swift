import ArgumentParser
import ExamCore
import Records
import Signing

extension ExamCommand.RecordsCommand {
  struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Prove an export is unchanged: MANIFEST.json's signature, every file's SHA-256, no file added.",
      discussion: """
        Names each altered, added or missing file and exits 65 when anything changed.

        Example:
          exam records verify out/records --pubkey office.pub
        """)

    @Argument(help: "The export folder.") var directory: String
    @Option(help: "The exam office's public key (NAME.pub).") var pubkey: String
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
      let key = try VerifyingKey(contentsOf: pubkey)
      let result = try ExportManifest.verify(directory: directory, publicKey: key)
      if json {
        print(JSONOutput.string(result))
      } else {
        print(
          "\(directory): OK — \(result.files) file(s) unchanged since \(result.createdAt), signed by \(result.fingerprint)"
        )
      }
    }
  }
}
