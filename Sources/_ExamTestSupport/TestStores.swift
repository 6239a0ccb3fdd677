import ExamStorage

/// The backends a store test runs on: SQLite (in memory) always, PostgreSQL (a database of its own on the test
/// cluster) when `$EXAM_TEST_POSTGRES_URL` is set — so `@Test(arguments: TestBackend.all)` runs one case on both.
public enum TestBackend: String, Sendable, CaseIterable {
  case sqlite, postgres

  /// SQLite, and PostgreSQL when the test cluster is there (a note says why it is left out when it is not).
  public static var all: [TestBackend] { TestPostgres.isAvailable ? [.sqlite, .postgres] : [.sqlite] }

  /// Runs `body` on a new, empty, migrated store of this backend, and drops it afterwards.
  public func withStore(_ body: (any SittingStore) async throws -> Void) async throws {
    try await withProctoringStore { try await body($0) }
  }

  /// `withStore`, for a test of the answers or of proctoring.
  public func withProctoringStore(_ body: (any ProctoringStore) async throws -> Void) async throws {
    try await withMarkingStore { try await body($0) }
  }

  /// `withStore`, for a test of scoring, marking or results.
  public func withMarkingStore(_ body: (any MarkingStore) async throws -> Void) async throws {
    try await withRecordsStore { try await body($0) }
  }

  /// `withStore`, for a test of students' records.
  public func withRecordsStore(_ body: (any RecordsStore) async throws -> Void) async throws {
    try await withServerStore { try await body($0) }
  }

  /// `withStore`, for a test of `exam serve`'s tokens, uploads and desk accounts.
  public func withServerStore(_ body: (any ServerStore) async throws -> Void) async throws {
    switch self {
    case .sqlite: try await body(try ExamDatabase.inMemory())
    case .postgres: try await Self.withPostgres(label: "store") { try await body($1) }
    }
  }

  /// Runs `body` on a new, migrated database of the test cluster (its URL and a store on it), and drops it afterwards.
  static func withPostgres(label: String, _ body: (String, PostgresStore) async throws -> Void) async throws {
    let url = try TestPostgres.makeDatabase(label: label)
    defer { TestPostgres.dropDatabase(url) }
    let store = try await PostgresStore.connect(url: url, migrate: true, retryLimitSeconds: 5)
    do { try await body(url, store) } catch {
      await store.close()
      throw error
    }
    await store.close()
  }
}

extension TestBackend {
  /// Runs `body` on a new, migrated store of this backend that `exam` commands can open too: its `--db` value (a
  /// SQLite file in `directory`, or a PostgreSQL URL) and the test's own connection to it.
  public func withCommandStore(
    in directory: TemporaryDirectory, _ body: (String, any ServerStore) async throws -> Void
  ) async throws {
    switch self {
    case .sqlite:
      let path = directory.file("exam.sqlite")
      try await body(path, try ExamDatabase(path: path))
    case .postgres:
      try await Self.withPostgres(label: "cli", body)
    }
  }
}
