import ExamCore
import Foundation
import Testing
import _ExamTestSupport

@testable import ExamStorage

/// The two backends' migrations hold the same tables, columns, types, NOT NULLs, defaults, keys and indexes
/// (docs/scale-out.md): a migration added to one backend only fails here.
@Suite(.enabled(if: TestPostgres.isAvailable)) struct SchemaParityTests {
  /// The work queue's tables, in PostgreSQL only.
  static let queueTables: Set<String> = ["job", "worker", "examkit_migration"]

  @Test func sqliteAndPostgresMigrationsMakeTheSameSchema() async throws {
    let url = try TestPostgres.makeDatabase(label: "parity")
    defer { TestPostgres.dropDatabase(url) }
    let postgres = try await PostgresStore.connect(url: url, migrate: true, retryLimitSeconds: 5)
    let postgresSchema = try await postgres.storeSchema()
    await postgres.close()
    let sqliteSchema = try ExamDatabase.inMemory().storeSchema()
    // Not a comparison of two empty descriptions: every table of both stores is there.
    #expect(sqliteSchema.tables.count >= 35)
    #expect(Set(postgresSchema.tables.keys).isSuperset(of: Self.queueTables.subtracting(["examkit_migration"])))
    #expect(sqliteSchema.tables["seat"]?.foreignKeys.first?.onDelete == "cascade")
    #expect(postgresSchema.tables["recording"]?.columns.first?.autoIncrement == true)
    let differences = sqliteSchema.differences(
      from: postgresSchema, name: "SQLite", otherName: "PostgreSQL", ignoring: Self.queueTables)
    #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
  }

  @Test func theScoringSliceIsReMadeOnlyWhenItIsEmpty() async throws {
    let url = try TestPostgres.makeDatabase(label: "pg3")
    defer { TestPostgres.dropDatabase(url) }
    let store = try await PostgresStore.open(url: url, retryLimitSeconds: 5)
    try await store.migrate(through: 2)
    try TestPostgres.psql(url, "INSERT INTO exam (id, pack_sha256, definition_json) VALUES ('E1', 'x', '{}')")
    var refused: ExamError? = nil
    do { try await store.migrate() } catch { refused = error }
    #expect(refused?.code == .state && refused?.message.contains("exam") == true)
    #expect(refused?.fix?.contains("exam score collect") == true)
    #expect(try await store.schemaVersion() == 2)  // nothing applied, the row kept
    try TestPostgres.psql(url, "DELETE FROM exam")
    try await store.migrate()
    #expect(try await store.schemaVersion() == PostgresSchema.currentVersion)
    await store.close()
  }
}

/// The comparison itself, without a server: a changed column, key or index is named.
@Suite struct StoreSchemaComparisonTests {
  @Test func namesAreSnakeCase() {
    #expect(StoreSchema.snakeCase("machineScore") == "machine_score")
    #expect(StoreSchema.snakeCase("definitionJSON") == "definition_json")
    #expect(StoreSchema.snakeCase("storedSha256") == "stored_sha256")
    #expect(StoreSchema.snakeCase("id") == "id")
    #expect(StoreSchema.normalisedDefault("'open'::text") == "'open'")
    #expect(StoreSchema.normalisedDefault("false") == "0")
    #expect(StoreSchema.normalisedDefault("'a::b'") == "'a::b'")
  }

  @Test func everyKindOfDifferenceIsNamed() throws {
    let schema = try ExamDatabase.inMemory().storeSchema()
    #expect(schema.differences(from: schema, name: "a", otherName: "b").isEmpty)
    var other = schema
    other.tables["candidate"]!.columns.append(
      .init(name: "photo", type: .blob, notNull: false, defaultValue: nil, autoIncrement: false))
    other.tables["exam"]!.columns[3].notNull = false  // form_count
    other.tables["seat"]!.foreignKeys[0].onDelete = "no action"
    other.tables["candidate"]!.indexes = []
    other.tables["candidate"]!.uniqueKeys = []
    other.tables.removeValue(forKey: "rater")
    let lines = schema.differences(from: other, name: "SQLite", otherName: "PostgreSQL")
    #expect(lines.contains("table candidate: column photo only in PostgreSQL"))
    #expect(lines.contains { $0.hasPrefix("table exam: column form_count is integer not null default 1 in SQLite") })
    #expect(lines.contains { $0.hasPrefix("table seat: foreign keys") && $0.contains("no action in PostgreSQL") })
    #expect(lines.contains { $0.hasPrefix("table candidate: indexes (school) in SQLite but none") })
    #expect(lines.contains { $0.hasPrefix("table candidate: unique keys (national_id) in SQLite but none") })
    #expect(lines.contains("table rater: only in SQLite"))
    #expect(lines.count == 6, "\(lines)")
  }
}
