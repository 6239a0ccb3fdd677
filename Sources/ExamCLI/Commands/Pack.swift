import ArgumentParser
import ExamCore
import Packs
import Signing

extension ExamCommand {
  /// `exam pack …`: validate, build, verify, inspect and import exam packs.
  struct Pack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Build, verify, inspect and import exam packs.",
      discussion: """
        A pack source is a folder with pack.yaml and its media (docs/pack-format.md; `exam pack build --help` \
        summarises the schema). A built pack is one .exampack file: a zip with manifest.json (every file's size and \
        SHA-256), manifest.sig (Ed25519) and the files, optionally encrypted.

        Example:
          exam pack validate ExamPacks/SH-2026-EL
          exam pack build ExamPacks/SH-2026-EL -o SH-2026-EL.exampack --sign office.key
          exam pack verify SH-2026-EL.exampack --pubkey office.pub
          exam keys trust office.pub
          exam pack import SH-2026-EL.exampack
        """,
      subcommands: [PackValidate.self, PackBuild.self, PackVerify.self, PackInspect.self, PackImport.self])
  }
}

/// Key options shared by the commands that read a built pack.
struct PackKeyOptions: ParsableArguments {
  @Option(name: .customLong("pubkey"), help: "The exam office's public key (NAME.pub); the pack must be signed by it.")
  var publicKey: String?

  @Option(name: .customLong("key"), help: "The content key (FILE.key) of an encrypted pack.")
  var contentKey: String?

  @Flag(
    name: .customLong("allow-unsigned"),
    help:
      "Accept a pack that is unsigned or signed by an untrusted key (drafts only; import records it in the audit trail)."
  )
  var allowUnsigned = false

  /// The options as the audit trail records them.
  var auditArguments: [String] {
    (publicKey.map { ["--pubkey", $0] } ?? []) + (contentKey.map { ["--key", $0] } ?? [])
      + (allowUnsigned ? ["--allow-unsigned"] : [])
  }

  /// Loads the keys named on the command line.
  func load() throws(ExamError) -> (VerifyingKey?, ContentKey?) {
    (
      try publicKey.map { (p) throws(ExamError) in try VerifyingKey(contentsOf: p) },
      try contentKey.map { (p) throws(ExamError) in try ContentKey(contentsOf: p) }
    )
  }

  /// The trust of `verify` and `inspect`, which have no store: the --pubkey key, else nothing is trusted and
  /// only --allow-unsigned lets the pack through.
  func storelessTrust(_ key: VerifyingKey?) -> PackTrust {
    PackTrust(keys: key.map { [$0] } ?? [], allowUnsigned: allowUnsigned)
  }

  /// Prints the loud warning an accepted untrusted pack deserves (standard error, so --json stays clean).
  static func warnIfUntrusted(_ verification: PackVerification) {
    guard !verification.signerTrusted else { return }
    let what = verification.signer.map { "is signed by key \($0), which is not trusted" } ?? "is not signed"
    ProgressReporter.writeError(
      "warning: \(verification.pack) \(what); accepted only because of --allow-unsigned — "
        + "nothing shows the exam office made it\n")
  }
}
