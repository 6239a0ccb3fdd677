import ArgumentParser
import ExamCore
import ExamStorage
import Foundation
import MarkingServer

extension ExamCommand {
  struct Raters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Accounts for the marking desk of `exam serve`: import the rater list, set passwords, disable.",
      discussion: """
        The rater list is the CSV the marking commands use (`rater_id`, `name`, `school`), with an optional `role`
        column (rater, arbiter or office). Passwords are stored as bcrypt hashes only (cost 12). Five wrong
        passwords in a row lock an account for 15 minutes; setting a password unlocks it.

        Example:
          exam raters import raters.csv --arbiter R09 --passwords-out first-passwords.csv
          exam raters password R01            # prints a new random password once
          echo 'a long pass phrase' | exam raters password R01 --stdin
          exam raters disable R07
          exam raters list
        """,
      subcommands: [Import.self, Password.self, Disable.self, List.self])
  }
}

/// `--bcrypt-cost-for-tests`: a lower bcrypt cost, for test stores and the load benchmark only.
struct BcryptCostOption: ParsableArguments {
  @Option(help: ArgumentHelp("Lower bcrypt cost (4-11) for test stores only; production uses 12.", visibility: .hidden))
  var bcryptCostForTests: UInt8?

  var hashing: PasswordHashing { PasswordHashing(cost: bcryptCostForTests ?? PasswordHashing.productionCost) }

  func validate() throws {
    if let cost = bcryptCostForTests, !(4...11).contains(cost) {
      throw ValidationError(
        "'--bcrypt-cost-for-tests' must be from 4 to 11 (got \(cost)); leave it off for the production cost 12.")
    }
  }
}

extension ExamCommand.Raters {
  struct Import: ExamSubcommand {
    static let runsOnPostgres = true
    static let configuration = CommandConfiguration(abstract: "Create or update desk accounts from the rater list CSV.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var cost: BcryptCostOption
    @Argument(help: "Rater list CSV (rater_id,name,school[,role]).") var file: String
    @Option(help: "Give this rater the arbiter role (repeatable).") var arbiter: [String] = []
    @Option(help: "Set a random password for every account without one and write `rater_id,password` here (mode 600).")
    var passwordsOut: String?
    var auditArguments: [String] { [file] + arbiter.flatMap { ["--arbiter", $0] } }

    func run(_ context: CommandContext) async throws {
      let raters = try await RaterAccounts.importList(
        path: file, arbiters: arbiter, into: context.serverStore, audit: context.audit(""))
      context.say("\(raters.count) desk account(s) from \(file)")
      guard let passwordsOut else { return }
      var writer = CSVWriter(header: ["rater_id", "password"])
      for account in try await context.serverStore.raterAccounts()
      where !account.hasPassword && raters.contains(account.rater) {
        let password = RaterAccounts.makePassword()
        try await RaterAccounts.setPassword(
          raterId: account.rater.id, password: password, hashing: cost.hashing, in: context.serverStore,
          audit: context.audit(""))
        writer.append([account.rater.id, password])
      }
      try AtomicFile.write(text: writer.text, to: passwordsOut, mode: 0o600)
      context.say("first passwords written to \(passwordsOut) (readable by you only); hand each rater their own")
    }
  }

  struct Password: ExamSubcommand {
    static let runsOnPostgres = true
    static let configuration = CommandConfiguration(
      abstract: "Set a rater's password (a new random one is printed once, or read one line from standard input).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var cost: BcryptCostOption
    @Argument(help: "The rater id.") var rater: String
    @Flag(help: "Read the password from the first line of standard input.") var stdin = false
    var auditArguments: [String] { [rater] }

    func run(_ context: CommandContext) async throws {
      let password: String
      if stdin {
        guard let line = readLine(strippingNewline: true) else {
          throw ExamError(
            .usage, location: "--stdin", "standard input is empty", fix: "pipe the password in, or leave --stdin off")
        }
        password = line
      } else {
        password = RaterAccounts.makePassword()
      }
      try await RaterAccounts.setPassword(
        raterId: rater, password: password, hashing: cost.hashing, in: context.serverStore, audit: context.audit(""))
      context.say(stdin ? "password set for \(rater)" : "password for \(rater) (shown once): \(password)")
    }
  }

  struct Disable: ExamSubcommand {
    static let runsOnPostgres = true
    static let configuration = CommandConfiguration(
      abstract: "Disable a rater's account (ends their sessions at once), or enable it again.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The rater id.") var rater: String
    @Flag(help: "Enable the account again.") var enable = false
    var auditArguments: [String] { [rater] + (enable ? ["--enable"] : []) }

    func run(_ context: CommandContext) async throws {
      try await context.serverStore.setRaterDisabled(
        raterId: rater, disabled: !enable,
        audit: context.audit("\(enable ? "enabled" : "disabled") desk account of rater \(rater)"))
      context.say("\(rater): \(enable ? "enabled" : "disabled")")
    }
  }

  struct List: ExamSubcommand {
    static let runsOnPostgres = true
    static let configuration = CommandConfiguration(
      abstract: "List desk accounts: role, password set, disabled, locked.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run(_ context: CommandContext) async throws {
      let accounts = try await context.serverStore.raterAccounts()
      if json { print(JSONOutput.string(accounts)); return }
      for a in accounts {
        let state =
          a.disabled
          ? "disabled" : !a.hasPassword ? "no password" : a.lockedUntil.map { "locked until \($0)" } ?? "active"
        print("\(a.rater.id)\t\(a.role.rawValue)\t\(state)\t\(a.rater.school)\t\(a.rater.name)")
      }
    }
  }
}
