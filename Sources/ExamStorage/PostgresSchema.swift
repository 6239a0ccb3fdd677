import ExamCore
import PostgresNIO

/// One migration of the PostgreSQL store.
struct PostgresMigration: Sendable {
  var name: String
  /// Tables that must hold no row before it runs (it re-makes them); a database whose tables do is refused with
  /// what to do, and nothing changes.
  var requiresEmpty: [String] = []
  var sql: [String]
}

/// The PostgreSQL store's migrations, applied in order and recorded in `examkit_migration`; never edited once
/// landed (add a new one). Names are snake_case (PostgreSQL folds unquoted names) and every table of the SQLite
/// store (`Schema`) is here with the same columns, types, NOT NULLs, defaults, keys and indexes
/// (`machineScore.featuresJSON` → `machine_score.features_json`): `SchemaParityTests` migrates both and compares
/// them, so a migration added to one backend only fails it. `job`, `worker` and `examkit_migration` (the work
/// queue) exist here only.
enum PostgresSchema {
  static let migrations: [PostgresMigration] = [
    PostgresMigration(
      name: "pg1-work-queue",
      sql: [
        """
        CREATE TABLE job (
          id bigserial PRIMARY KEY,
          kind text NOT NULL,                       -- 'score' (an answer), 'ingest' (an uploaded batch), …
          key text NOT NULL,                        -- what the job is about, unique per kind: enqueuing twice adds nothing
          payload text NOT NULL,                    -- JSON the worker of this kind reads
          release text NOT NULL,                    -- ExamKit release that published it; other releases are refused
          state text NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'leased', 'done')),
          attempts integer NOT NULL DEFAULT 0,
          leased_by text,
          lease_expires_at timestamptz,
          enqueued_at timestamptz NOT NULL DEFAULT now(),
          done_at timestamptz,
          done_by text,
          UNIQUE (kind, key)
        )
        """,
        "CREATE INDEX job_open ON job (kind, id) WHERE state <> 'done'",
        "CREATE INDEX job_done ON job (kind, done_at) WHERE state = 'done'",
        """
        CREATE TABLE worker (
          id text PRIMARY KEY,                      -- host:pid:random
          kind text NOT NULL,
          host text NOT NULL,
          pid integer NOT NULL,
          release text NOT NULL,
          started_at timestamptz NOT NULL DEFAULT now(),
          seen_at timestamptz NOT NULL DEFAULT now(),
          stopped_at timestamptz,
          completed bigint NOT NULL DEFAULT 0
        )
        """,
      ]
    ),
    PostgresMigration(
      name: "pg2-scoring",
      sql: [
        "CREATE TABLE exam (id text PRIMARY KEY, pack_sha256 text NOT NULL, definition_json text NOT NULL)",
        """
        CREATE TABLE recording (
          id bigint PRIMARY KEY,                    -- the id in the office's SQLite store, so results map back 1:1
          exam_id text NOT NULL REFERENCES exam(id),
          candidate_id text NOT NULL,
          item_id text NOT NULL,
          version integer NOT NULL,
          stored_sha256 text NOT NULL,              -- the 16 kHz FLAC in the shared content store
          duration_seconds double precision NOT NULL,
          centre_id text NOT NULL,
          batch_id text NOT NULL
        )
        """,
        """
        CREATE TABLE scoring_model (
          version text PRIMARY KEY, json text NOT NULL, stored_at text NOT NULL
        )
        """,
        """
        CREATE TABLE machine_score (
          recording_id bigint PRIMARY KEY REFERENCES recording(id),
          exam_id text NOT NULL, candidate_id text NOT NULL, item_id text NOT NULL,
          features_json text NOT NULL, aspects_json text NOT NULL,
          points double precision, confidence double precision NOT NULL, needs_human boolean NOT NULL,
          reason text NOT NULL, model_version text NOT NULL, scored_at text NOT NULL,
          scored_by text NOT NULL                   -- the worker
        )
        """,
        "CREATE INDEX machine_score_exam ON machine_score (exam_id)",
        """
        CREATE TABLE mark (
          id bigserial PRIMARY KEY,
          recording_id bigint NOT NULL REFERENCES recording(id),
          rater_id text NOT NULL, kind text NOT NULL, points double precision NOT NULL,
          marked_at text NOT NULL, source text NOT NULL,
          UNIQUE (recording_id, kind, rater_id)
        )
        """,
        """
        CREATE TABLE audit (
          id bigserial PRIMARY KEY, at text NOT NULL, operator text NOT NULL, command text NOT NULL,
          arguments text NOT NULL, summary text NOT NULL
        )
        """,
      ]
    ),
    everyTable,
  ]

  /// The schema this build expects: the number of migrations it knows.
  static var currentVersion: Int { migrations.count }
}

extension PostgresStore {
  /// Applies the migrations this build knows and the database lacks, each in one transaction, one process at a
  /// time (an advisory lock), so two machines migrating at once apply each migration once. `version` stops at an
  /// earlier schema (tests of the migrations themselves).
  func migrate(through version: Int = PostgresSchema.currentVersion) async throws(ExamError) {
    // No deadline: a retry while the first attempt still holds the lock would only queue behind it.
    try await retrying("migrate the schema", timeoutSeconds: .infinity) { [self] in
      try await client.withTransaction(logger: logger) { connection in
        try await connection.query("SELECT pg_advisory_xact_lock(7270001)", logger: logger)
        try await connection.query(
          """
          CREATE TABLE IF NOT EXISTS examkit_migration (
            version integer PRIMARY KEY, name text NOT NULL, release text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
          """, logger: logger)
        var applied = 0
        for try await version in try await connection.query(
          "SELECT COALESCE(MAX(version), 0) FROM examkit_migration",
          logger: logger
        ).decode(Int.self) { applied = version }
        if applied > PostgresSchema.currentVersion { throw Self.newerSchema(applied, url: redactedURL) }
        for (index, migration) in PostgresSchema.migrations.enumerated() where index + 1 > applied && index < version {
          for table in migration.requiresEmpty {
            var holdsRows = false
            for try await h in try await connection.query(
              PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM \(table))"), logger: logger
            ).decode(Bool.self) { holdsRows = h }
            if holdsRows {
              throw ExamError(
                .state, file: redactedURL,
                "migration \(migration.name) re-makes table \(table), which holds rows (work published by an earlier release)",
                fix:
                  "collect its scores into the office store (`exam score collect --db URL --into STORE.sqlite`) with the release that published them, then migrate a new, empty database"
              )
            }
          }
          for statement in migration.sql {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
          }
          let version = index + 1
          try await connection.query(
            """
            INSERT INTO examkit_migration (version, name, release) VALUES (\(version), \(migration.name), \(ExamKitRelease.version))
            """, logger: logger)
        }
      }
    }
  }

  /// The names of the applied migrations, oldest first.
  public func appliedMigrations() async throws(ExamError) -> [String] {
    try await strings("read the applied migrations", "SELECT name FROM examkit_migration ORDER BY version")
  }

  /// The schema version of the database (0 when it has no ExamKit schema).
  public func schemaVersion() async throws(ExamError) -> Int {
    try await retrying("read the schema version") { [self] in
      // Two statements: a table named in SQL must exist when the statement is planned.
      var exists = false
      for try await e in try await client.query("SELECT to_regclass('examkit_migration') IS NOT NULL", logger: logger)
        .decode(Bool.self)
      { exists = e }
      guard exists else { return 0 }
      var version = 0
      for try await v in try await client.query(
        "SELECT COALESCE(MAX(version), 0) FROM examkit_migration", logger: logger
      )
      .decode(Int.self) { version = v }
      return version
    }
  }

  /// Refuses a database whose schema is not the one this build expects, saying what to run.
  func checkSchema() async throws(ExamError) {
    let version = try await schemaVersion()
    if version == PostgresSchema.currentVersion { return }
    if version > PostgresSchema.currentVersion { throw Self.newerSchema(version, url: redactedURL) }
    throw ExamError(
      .state, file: redactedURL,
      version == 0
        ? "this database has no ExamKit schema"
        : "this database has an older ExamKit schema (version \(version); this release, \(ExamKitRelease.version), needs \(PostgresSchema.currentVersion))",
      fix: "run `exam db migrate --db \(redactedURL)` once (from any machine with this release), then run this again")
  }

  static func newerSchema(_ version: Int, url: String) -> ExamError {
    ExamError(
      .state, file: url,
      "this database has a newer ExamKit schema (version \(version)) than this release (\(ExamKitRelease.version), version \(PostgresSchema.currentVersion)) knows",
      fix: "install the release that migrated it on this machine")
  }
}
