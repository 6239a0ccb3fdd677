import ExamCore
import PostgresNIO

extension PostgresStore {
  /// The schema of the database as PostgreSQL reports it (`information_schema.columns`, `pg_constraint`,
  /// `pg_index`; the `public` schema), to compare with the SQLite store's (`StoreSchema`). Indexes that back a
  /// primary key or unique constraint are left out, as SQLite's are.
  public func storeSchema() async throws(ExamError) -> StoreSchema {
    try await retrying("read the schema") { [self] in
      var columns: [String: [StoreSchema.Column]] = [:]
      for try await (table, name, type, nullable, defaultValue) in try await client.query(
        """
        SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable::text, c.column_default::text
        FROM information_schema.columns c JOIN information_schema.tables t
          ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = 'public' ORDER BY c.table_name, c.ordinal_position
        """, logger: logger
      ).decode((String, String, String, String, String?).self) {
        let sequence = defaultValue?.hasPrefix("nextval(") == true
        columns[table, default: []].append(
          StoreSchema.Column(
            name: name, type: Self.columnType(type), notNull: nullable == "NO",
            defaultValue: sequence ? nil : StoreSchema.normalisedDefault(defaultValue), autoIncrement: sequence))
      }
      var primaryKeys: [String: [String]] = [:]
      var uniqueKeys: [String: [[String]]] = [:]
      var foreignKeys: [String: [StoreSchema.ForeignKey]] = [:]
      for try await (table, kind, keyColumns, referenced, referencedColumns, onDelete) in try await client.query(
        """
        SELECT t.relname::text, c.contype::text,
          ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
          COALESCE(r.relname::text, ''),
          ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o),
          c.confdeltype::text
        FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid LEFT JOIN pg_class r ON r.oid = c.confrelid
        WHERE t.relnamespace = 'public'::regnamespace AND c.contype IN ('p', 'u', 'f')
        """, logger: logger
      ).decode((String, String, [String], String, [String], String).self) {
        switch kind {
        case "p": primaryKeys[table] = keyColumns
        case "u": uniqueKeys[table, default: []].append(keyColumns)
        default:
          foreignKeys[table, default: []].append(
            StoreSchema.ForeignKey(
              columns: keyColumns, table: referenced, referencedColumns: referencedColumns,
              onDelete: Self.deleteAction(onDelete)))
        }
      }
      var indexes: [String: [StoreSchema.Index]] = [:]
      for try await (table, keyColumns, unique, partial) in try await client.query(
        """
        SELECT t.relname::text,
          ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o),
          i.indisunique, i.indpred IS NOT NULL
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relnamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))
        """, logger: logger
      ).decode((String, [String], Bool, Bool).self) {
        indexes[table, default: []].append(StoreSchema.Index(columns: keyColumns, unique: unique, partial: partial))
      }
      return StoreSchema(
        tables: columns.map { table, columns in
          StoreSchema.Table(
            name: table, columns: columns, primaryKey: primaryKeys[table] ?? [], uniqueKeys: uniqueKeys[table] ?? [],
            foreignKeys: foreignKeys[table] ?? [], indexes: indexes[table] ?? [])
        })
    }
  }

  private static func columnType(_ name: String) -> StoreSchema.ColumnType {
    switch name {
    case "text", "character varying": .text
    case "bigint", "integer", "smallint": .integer
    case "double precision", "real": .real
    case "boolean": .boolean
    case "bytea": .blob
    case "timestamp with time zone", "timestamp without time zone": .timestamp
    default: .other
    }
  }

  private static func deleteAction(_ code: String) -> String {
    switch code {
    case "c": "cascade"
    case "r": "restrict"
    case "n": "set null"
    case "d": "set default"
    default: "no action"
    }
  }
}
