import ExamCore
import ExamStorage
import Scoring

/// `exam raters`: desk accounts from the rater list the marking commands use, passwords (bcrypt) and disabling.
public enum RaterAccounts {
  /// Reads the rater list (`rater_id`/`id`, `name`, `school`, optional `role`: rater | arbiter | office) and creates or
  /// updates the accounts; `arbiters` are given the arbiter role whatever the file says.
  /// - Throws: `ExamError` naming the file and line of a bad row or role; nothing is stored then.
  public static func importList(path: String, arbiters: [String], into store: any ServerStore, audit: AuditEntry)
    async throws -> [Rater]
  {
    let text = try InputFile.text(path)
    let raters = try RaterList.parse(text, source: path)
    let table = try CSVTable(parsing: text, source: path)
    let idColumn = table.index(of: "rater_id") != nil ? "rater_id" : "id"
    var roles: [String: RaterAccount.Role] = [:]
    if table.index(of: "role") != nil {
      for row in table.rows {
        let value = table.value(row, "role").trimmingSpaces().lowercased()
        guard !value.isEmpty else { continue }
        guard let role = RaterAccount.Role(rawValue: value) else {
          throw ExamError(
            .invalidInput, file: path, location: "line \(row.line), column role", "'\(value)' is not a desk role",
            fix: "use rater, arbiter or office (or leave it empty for rater)")
        }
        roles[table.value(row, idColumn).trimmingSpaces()] = role
      }
    }
    for id in arbiters {
      guard raters.contains(where: { $0.id == id }) else {
        throw ExamError(
          .invalidInput, location: "--arbiter \(id)", "rater '\(id)' is not in \(path)", fix: "name a rater of the list"
        )
      }
      roles[id] = .arbiter
    }
    var line = audit
    line.summary =
      "desk accounts for \(raters.count) raters from \(path) (\(roles.values.filter { $0 == .arbiter }.count) arbiters)"
    try await store.importRaterAccounts(raters, roles: roles, at: audit.at, audit: line)
    return raters
  }

  /// Sets a rater's password (bcrypt with `hashing`'s cost), ending their sessions.
  public static func setPassword(
    raterId: String, password: String, hashing: PasswordHashing, in store: any ServerStore,
    audit: AuditEntry
  ) async throws {
    var line = audit
    line.summary = "password set for rater \(raterId) (bcrypt cost \(hashing.cost))"
    let hash = try hashing.hash(password)
    try await store.setRaterPassword(raterId: raterId, passwordHash: hash, at: audit.at, audit: line)
  }

  /// A new random password: 16 characters from an alphabet without look-alikes (about 90 bits).
  public static func makePassword() -> String {
    let alphabet = Array("abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY2346789")
    var generator = SystemRandomNumberGenerator()
    return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
  }
}
