import ArgumentParser
import CentreServer
import ExamCore
import ExamStorage

extension ExamCommand {
  /// `exam centres tokens …`: the credentials `exam serve` accepts.
  struct CentreTokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "tokens",
      abstract: "Issue, list and revoke the tokens centres (and the office) use with `exam serve`.",
      subcommands: [Issue.self, List.self, Revoke.self])

    struct Issue: ExamSubcommand {
      static let configuration = CommandConfiguration(
        abstract: "Issue a token for a centre (or, with --office, for the status page) and show it once.",
        discussion: """
          The token is printed once (or written to --out, readable by the owner only); the store keeps only its
          SHA-256. A centre token uploads that centre's batches only. Revoke a lost token and issue a new one.

          Example:
            exam centres tokens issue --centre T01 --out T01.token
            exam centres tokens issue --office --label "results desk"
          """)
      @OptionGroup var global: GlobalOptions
      @Option(help: "The centre the token is for.") var centre: String?
      @Flag(help: "An office token (reads /status), not a centre's.") var office = false
      @Option(help: "A note to tell tokens apart in `list`.") var label = ""
      @Option(help: "Write the token to this file (mode 600) instead of printing it.") var out: String?

      static let runsOnPostgres = true

      func validate() throws {
        guard (centre == nil) == office else { throw ValidationError("Give either '--centre ID' or '--office'.") }
      }

      func run(_ context: CommandContext) async throws {
        var arguments = centre.map { ["--centre", $0] } ?? ["--office"]
        if !label.isEmpty { arguments += ["--label", label] }
        let (secret, token) = try await AccessTokens.issue(
          in: context.serverStore, centreId: centre, label: label,
          operatorName: context.operatorName, arguments: arguments)
        if let out {
          try AccessTokens.writeSecret(secret, to: out)
          context.say(
            "token \(token.id) for \(token.centreId.map { "centre \($0)" } ?? "the office") written to \(out)")
        } else {
          context.say(secret)
          context.say(
            "(token \(token.id) for \(token.centreId.map { "centre \($0)" } ?? "the office"); it is not shown again)")
        }
      }
    }

    struct List: ExamSubcommand {
      static let configuration = CommandConfiguration(
        abstract: "List the tokens (never their secrets): id, role, centre, issued, revoked.",
        discussion: "Example:\n  exam centres tokens list --json")
      @OptionGroup var global: GlobalOptions
      @Flag(help: "One JSON object per line.") var json = false
      static let runsOnPostgres = true

      func run(_ context: CommandContext) async throws {
        for token in try await context.serverStore.accessTokens() {
          if json {
            context.say(JSONOutput.string(token))
          } else {
            context.say(
              "\(token.id)  \(token.role.rawValue)  \(token.centreId ?? "-")  issued \(token.issuedAt) by \(token.issuedBy)"
                + (token.revokedAt.map { "  REVOKED \($0)" } ?? "") + (token.label.isEmpty ? "" : "  \(token.label)"))
          }
        }
      }
    }

    struct Revoke: ExamSubcommand {
      static let configuration = CommandConfiguration(
        abstract: "Revoke a token: the next request with it is refused (401).",
        discussion: "Example:\n  exam centres tokens revoke 3f9a01c2")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "The token's id (first column of `list`).") var id: String
      static let runsOnPostgres = true

      func run(_ context: CommandContext) async throws {
        let store = context.serverStore
        let at = Timestamp.now()
        let owner = try await store.accessTokens().first { $0.id == id }.map {
          $0.centreId.map { " of centre \($0)" } ?? " of the office"
        }
        let token = try await store.revokeToken(
          id: id, at: at, by: context.operatorName,
          audit: context.auditEntry(
            command: "centres tokens revoke", arguments: [id], summary: "revoked token \(id)\(owner ?? "")"))
        context.say(
          token.revokedAt == at ? "revoked token \(id)" : "token \(id) was revoked before, at \(token.revokedAt ?? "?")"
        )
      }
    }
  }
}
