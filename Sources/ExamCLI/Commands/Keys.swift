import ArgumentParser
import ExamCore
import Signing

extension ExamCommand {
  struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Manage Ed25519 signing keys.",
      subcommands: [Generate.self])

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
          throw ExamError(.conflict, file: privatePath, "a key with this name exists already",
            fix: "choose another NAME, or pass --force to replace it (packs signed with it will no longer verify)")
        }
        let key = SigningKey()
        try key.write(privateTo: privatePath, publicTo: publicPath)
        print("wrote \(privatePath) (private, keep secret) and \(publicPath) (fingerprint \(key.publicKey.fingerprint))")
      }
    }
  }
}
