import Foundation

/// A store's schema as the database itself reports it, described the same way for SQLite and PostgreSQL, so that
/// the two backends' migrations can be proved to hold the same tables, columns and constraints (docs/scale-out.md,
/// `SchemaParityTests`).
///
/// Names are snake_case (`machineScore.featuresJSON` → `machine_score.features_json`); types are the few classes
/// both engines share; a primary key's columns count as NOT NULL (PostgreSQL makes them so, SQLite only for an
/// INTEGER key); indexes that only back a primary key or a unique constraint are left out (each engine makes its
/// own), and keys and indexes are compared by their columns, not their names.
public struct StoreSchema: Sendable, Equatable {
  public enum ColumnType: String, Sendable {
    case text, integer, real, boolean, blob, timestamp
    /// A type with no counterpart in the other engine (named as the engine names it).
    case other
  }

  public struct Column: Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    public var notNull: Bool
    /// The default as an SQL literal without a cast (`''`, `'open'`, `0`; booleans as 0/1), or nil.
    public var defaultValue: String?
    /// Given by the store when an insert leaves it out (SQLite AUTOINCREMENT, a PostgreSQL sequence).
    public var autoIncrement: Bool
  }

  public struct ForeignKey: Sendable, Equatable, Comparable {
    public var columns: [String]
    public var table: String
    public var referencedColumns: [String]
    /// `cascade`, `no action`, `restrict`, `set null` or `set default`.
    public var onDelete: String

    public static func < (a: ForeignKey, b: ForeignKey) -> Bool { a.description < b.description }
    var description: String {
      "(\(columns.joined(separator: ", "))) → \(table)(\(referencedColumns.joined(separator: ", "))) on delete \(onDelete)"
    }
  }

  public struct Index: Sendable, Equatable, Comparable {
    public var columns: [String]
    public var unique: Bool
    /// Has a WHERE clause (PostgreSQL's partial indexes of the work queue).
    public var partial: Bool

    public static func < (a: Index, b: Index) -> Bool { a.description < b.description }
    var description: String {
      (unique ? "unique " : "") + (partial ? "partial " : "") + "(\(columns.joined(separator: ", ")))"
    }
  }

  public struct Table: Sendable, Equatable {
    public var name: String
    /// In declaration order.
    public var columns: [Column]
    public var primaryKey: [String]
    /// Sorted; each in its declared column order.
    public var uniqueKeys: [[String]]
    public var foreignKeys: [ForeignKey]
    public var indexes: [Index]

    init(
      name: String, columns: [Column], primaryKey: [String], uniqueKeys: [[String]], foreignKeys: [ForeignKey],
      indexes: [Index]
    ) {
      self.name = name
      self.primaryKey = primaryKey
      self.columns = columns.map { c in
        var c = c
        if primaryKey.contains(c.name) { c.notNull = true }
        return c
      }
      self.uniqueKeys = uniqueKeys.sorted { $0.lexicographicallyPrecedes($1) }
      self.foreignKeys = foreignKeys.sorted()
      self.indexes = indexes.sorted()
    }
  }

  /// By name.
  public var tables: [String: Table]

  init(tables: [Table]) {
    self.tables = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
  }

  /// What differs between `self` (the schema `name` describes) and `other` (`otherName`), a line each, naming the
  /// table and the column or key; empty when they are the same. Tables named in `ignoring` are left out on both
  /// sides (the work queue exists in PostgreSQL only).
  public func differences(
    from other: StoreSchema, name: String, otherName: String, ignoring: Set<String> = []
  ) -> [String] {
    var lines: [String] = []
    for table in Set(tables.keys).union(other.tables.keys).subtracting(ignoring).sorted() {
      guard let a = tables[table] else {
        lines.append("table \(table): only in \(otherName)")
        continue
      }
      guard let b = other.tables[table] else {
        lines.append("table \(table): only in \(name)")
        continue
      }
      let aColumns = Dictionary(a.columns.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
      let bColumns = Dictionary(b.columns.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
      for column in a.columns.map(\.name) + b.columns.map(\.name).filter({ aColumns[$0] == nil }) {
        switch (aColumns[column], bColumns[column]) {
        case (nil, _): lines.append("table \(table): column \(column) only in \(otherName)")
        case (_, nil): lines.append("table \(table): column \(column) only in \(name)")
        case (let x?, let y?) where x != y:
          lines.append("table \(table): column \(column) is \(x.summary) in \(name) but \(y.summary) in \(otherName)")
        default: break
        }
      }
      if a.columns.map(\.name) != b.columns.map(\.name), Set(aColumns.keys) == Set(bColumns.keys) {
        lines.append("table \(table): the columns are in another order in \(otherName)")
      }
      func compare<T: Equatable>(_ what: String, _ x: T, _ y: T, _ show: (T) -> String) {
        if x != y { lines.append("table \(table): \(what) \(show(x)) in \(name) but \(show(y)) in \(otherName)") }
      }
      compare("primary key", a.primaryKey, b.primaryKey) { "(\($0.joined(separator: ", ")))" }
      compare("unique keys", a.uniqueKeys, b.uniqueKeys) {
        $0.isEmpty ? "none" : $0.map { "(\($0.joined(separator: ", ")))" }.joined(separator: ", ")
      }
      compare("foreign keys", a.foreignKeys, b.foreignKeys) {
        $0.isEmpty ? "none" : $0.map(\.description).joined(separator: "; ")
      }
      compare("indexes", a.indexes, b.indexes) { $0.isEmpty ? "none" : $0.map(\.description).joined(separator: ", ") }
    }
    return lines
  }

  /// `machineScore` → `machine_score`, `definitionJSON` → `definition_json`, `storedSha256` → `stored_sha256`.
  public static func snakeCase(_ name: String) -> String {
    var out = ""
    var previous: Character? = nil
    for c in name {
      if c.isUppercase, let p = previous, p.isLowercase || p.isNumber { out.append("_") }
      out.append(contentsOf: c.lowercased())
      previous = c
    }
    return out
  }

  /// A default as both engines can be compared on: without PostgreSQL's `::type` cast, booleans as 0/1.
  static func normalisedDefault(_ sql: String?) -> String? {
    guard var value = sql?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
    if value.hasPrefix("("), value.hasSuffix(")") { value = String(value.dropFirst().dropLast()) }
    if let cast = value.range(of: "::", options: .backwards), !value[cast.upperBound...].contains("'") {
      value = String(value[..<cast.lowerBound])
    }
    switch value.lowercased() {
    case "false": return "0"
    case "true": return "1"
    default: return value
    }
  }
}

extension StoreSchema.Column {
  var summary: String {
    var parts = [type.rawValue, notNull ? "not null" : "nullable"]
    if let defaultValue { parts.append("default \(defaultValue)") }
    if autoIncrement { parts.append("auto-increment") }
    return parts.joined(separator: " ")
  }
}
