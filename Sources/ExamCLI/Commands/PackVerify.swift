import ArgumentParser
import ExamCore
import Packs

extension ExamCommand {
  struct PackVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: "Check a built pack against its manifest and signature, naming any altered file.",
      discussion: """
        Refuses unsafe archives (paths escaping the folder, links, too many or too large entries, zip bombs), then \
        checks the signature of manifest.json, that every listed file is present with its size and SHA-256, and that \
        nothing was added. The signer must be the --pubkey key: an unsigned pack, or one signed by any other key, \
        is refused unless --allow-unsigned is given (drafts). With --key an encrypted pack is decrypted and its \
        plain contents are checked too. Every problem names the file inside the pack. Exit 65 when any fails.

        Example:
          exam pack verify SH-2026-EL.exampack --pubkey office.pub
          exam pack verify secret.exampack --pubkey office.pub --key secret.key --json
        """)

    @Argument(help: "The .exampack file.") var pack: String
    @OptionGroup var keys: PackKeyOptions
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
      let (trusted, content) = try keys.load()
      let result = try PackVerifier.verify(pack: pack, trust: keys.storelessTrust(trusted), contentKey: content)
      PackKeyOptions.warnIfUntrusted(result)
      if json {
        print(JSONOutput.string(result))
        return
      }
      print("\(pack): OK — exam \(result.examId), \(result.fileCount) files intact, sha256 \(result.packSha256)")
      if let signer = result.signer {
        print(
          result.signerTrusted
            ? "signed by the trusted key \(signer)"
            : "signed by key \(signer), NOT a trusted key")
      } else {
        print("NOT signed")
      }
      if result.encrypted {
        print(
          result.decrypted
            ? "encrypted; decrypted contents match the manifest"
            : "encrypted; pass --key FILE.key to check the plain contents too")
      }
    }
  }
}
