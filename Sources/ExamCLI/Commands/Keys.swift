import ArgumentParser
import ExamCore
import ExamStorage
import Signing

extension ExamCommand {
  struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Manage Ed25519 signing keys, and the pack signers this store trusts.",
      discussion: """
        `exam pack import` accepts only packs signed by a key trusted here: trust the exam office's NAME.pub once \
        (check its fingerprint with the office by another channel), revoke it when the key is lost or retired.
        """,
      subcommands: [Generate.self, KeysTrust.self, KeysList.self, KeysRevoke.self])

    struct Generate: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Generate an Ed25519 key pair: NAME.key (private, mode 0600) and NAME.pub.",
        discussion: """
          Keep NAME.key with the exam office; give NAME.pub to whoever verifies packs and exports.

          Example:
            exam keys generate office-2026
          """)

      @Argument(help: "Path and base name of the key files (NAME.key and NAME.pub are written).")
      var name: String

      @Flag(help: "Replace existing key files.")
      var force = false

      func run() async throws {
        let privatePath = name + ".key"
        let publicPath = name + ".pub"
        if !force, FileSystem.exists(privatePath) || FileSystem.exists(publicPath) {
          throw ExamError(
            .conflict, file: privatePath, "a key with this name exists already",
            fix: "choose another NAME, or pass --force to replace it (packs signed with it will no longer verify)")
        }
        let key = SigningKey()
        try key.write(privateTo: privatePath, publicTo: publicPath)
        print(
          "wrote \(privatePath) (private, keep secret) and \(publicPath) (fingerprint \(key.publicKey.fingerprint))")
      }
    }
  }
}

extension ExamCommand {
  struct KeysTrust: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "trust",
      abstract: "Trust a pack signer's public key (NAME.pub) in this store, for `exam pack import`.",
      discussion: """
        Prints the key's fingerprint: compare it with the one the exam office tells you by another channel. \
        Trusting a key trusted already changes nothing; a revoked key is trusted anew. Audited.

        Example:
          exam keys trust office-2026.pub
          exam keys trust office-2026.pub --label "Shanghai exam office 2026"
        """)
    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The public key file (NAME.pub, from `exam keys generate`).") var file: String
    @Option(help: "Who the key belongs to (default: the file's name).") var label: String?

    var auditArguments: [String] { [file] + (label.map { ["--label", $0] } ?? []) }

    func run(_ context: CommandContext) async throws {
      let key = try VerifyingKey(contentsOf: file)
      let name = label ?? String(file.split(separator: "/").last ?? Substring(file))
      let signer = TrustedSigner(
        fingerprint: key.fingerprint, publicKey: key.base64, label: name,
        trustedAt: Timestamp.now(), trustedBy: context.operatorName)
      let changed = try await context.sitting.trustSigner(
        signer,
        audit: context.audit("trusted pack signer \(key.fingerprint) (\(name))"))
      context.say(
        changed
          ? "trusted key \(key.fingerprint) (\(name)) for pack import"
          : "key \(key.fingerprint) is trusted already; nothing changed")
    }
  }

  struct KeysList: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List the pack signers' keys this store trusts (and those revoked).",
      discussion: "Example:\n  exam keys list --json")
    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions
    @Flag(help: "One JSON object per line.") var json = false

    func run(_ context: CommandContext) async throws {
      for signer in try await context.sitting.trustedSigners() {
        if json {
          context.say(JSONOutput.string(signer))
        } else {
          context.say(
            "\(signer.fingerprint)  \(signer.label)  trusted \(signer.trustedAt) by \(signer.trustedBy)"
              + (signer.revokedAt.map { "  REVOKED \($0) by \(signer.revokedBy ?? "?")" } ?? ""))
        }
      }
    }
  }

  struct KeysRevoke: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "revoke",
      abstract: "Stop trusting a pack signer's key: packs it signed are refused from now on (imported ones stay).",
      discussion: "Example:\n  exam keys revoke 3f9a01c2d4e5f607")
    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The key's fingerprint (or its first 8+ digits), as `exam keys list` prints it.") var fingerprint:
      String

    var auditArguments: [String] { [fingerprint] }

    func run(_ context: CommandContext) async throws {
      let at = Timestamp.now()
      let signer = try await context.sitting.revokeSigner(
        fingerprint: fingerprint, at: at, by: context.operatorName,
        audit: context.audit("revoked pack signer \(fingerprint)"))
      context.say(
        signer.revokedAt == at
          ? "revoked key \(signer.fingerprint) (\(signer.label))"
          : "key \(signer.fingerprint) was revoked before, at \(signer.revokedAt ?? "?")")
    }
  }
}
