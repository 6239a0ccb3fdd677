import ExamCore
import GRDB

extension ExamDatabase {
  /// The store's schema as SQLite reports it (`PRAGMA table_info`, `foreign_key_list`, `index_list`), with
  /// snake_case names, to compare with the PostgreSQL store's (`StoreSchema`). GRDB's own table and SQLite's
  /// internal ones are left out.
  public func storeSchema() throws -> StoreSchema {
    try read { db in
      let names = try String.fetchAll(
        db,
        sql: """
          SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
          ORDER BY name
          """)
      return StoreSchema(tables: try names.map { try Self.describeTable($0, in: db) })
    }
  }

  private static func describeTable(_ name: String, in db: Database) throws -> StoreSchema.Table {
    let snake = StoreSchema.snakeCase
    let info = try Row.fetchAll(db, sql: "SELECT * FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
    let createSQL =
      try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [name]) ?? ""
    let primaryKey = info.filter { ($0["pk"] as Int) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }
      .map { snake($0["name"]) }
    let columns = info.map { row in
      let type: String = row["type"]
      let isRowidAlias = primaryKey.count == 1 && (row["pk"] as Int) == 1 && type.uppercased() == "INTEGER"
      return StoreSchema.Column(
        name: snake(row["name"]), type: columnType(type), notNull: row["notnull"] as Bool,
        defaultValue: StoreSchema.normalisedDefault(row["dflt_value"]),
        autoIncrement: isRowidAlias && createSQL.uppercased().contains("AUTOINCREMENT"))
    }
    var foreignKeys: [Int: StoreSchema.ForeignKey] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq", arguments: [name])
    {
      let id: Int = row["id"]
      let table: String = row["table"]
      var to: String? = row["to"]
      if to == nil {  // REFERENCES t without columns: t's primary key, in order
        let seq: Int = row["seq"]
        to = try db.primaryKey(table).columns[seq]
      }
      var key =
        foreignKeys[id]
        ?? StoreSchema.ForeignKey(
          columns: [], table: snake(table), referencedColumns: [],
          onDelete: (row["on_delete"] as String).lowercased())
      key.columns.append(snake(row["from"]))
      key.referencedColumns.append(snake(to!))
      foreignKeys[id] = key
    }
    var uniqueKeys: [[String]] = []
    var indexes: [StoreSchema.Index] = []
    for index in try Row.fetchAll(db, sql: "SELECT * FROM pragma_index_list(?)", arguments: [name]) {
      let origin: String = index["origin"]
      if origin == "pk" { continue }
      let indexColumns = try String.fetchAll(
        db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [index["name"] as String]
      ).map(snake)
      if origin == "u" {
        uniqueKeys.append(indexColumns)
      } else {
        indexes.append(.init(columns: indexColumns, unique: index["unique"] as Bool, partial: index["partial"] as Bool))
      }
    }
    return StoreSchema.Table(
      name: snake(name), columns: columns, primaryKey: primaryKey, uniqueKeys: uniqueKeys,
      foreignKeys: Array(foreignKeys.values), indexes: indexes)
  }

  private static func columnType(_ declared: String) -> StoreSchema.ColumnType {
    switch declared.uppercased() {
    case "TEXT": .text
    case "INTEGER": .integer
    case "DOUBLE", "REAL": .real
    case "BOOLEAN": .boolean
    case "BLOB": .blob
    case "DATETIME": .timestamp
    default: .other
    }
  }
}
