import GRDB
internal import GRDBSQLite

extension ExamDatabase {
  /// Binds `text` (or NULL) to parameter `index` of `handle` through the C API, for hot insert loops where GRDB's
  /// argument arrays cost more than SQLite's insert itself. SQLite copies the bytes (`SQLITE_TRANSIENT`).
  static func bindText(_ handle: SQLiteStatement, _ index: Int32, _ text: String?) {
    guard var text else {
      sqlite3_bind_null(handle, index)
      return
    }
    text.withUTF8 { utf8 in
      _ = sqlite3_bind_text(
        handle, index, utf8.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
        Int32(utf8.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }
  }

  /// Steps `handle` once, to the end of an INSERT; throws SQLite's error otherwise.
  static func stepToDone(_ handle: SQLiteStatement, _ db: Database) throws {
    let code = sqlite3_step(handle)
    guard code == SQLITE_DONE else { throw sqliteError(code, db) }
  }

  /// Steps `handle` through its rows, calling `row` at each (read its columns from `handle`); throws SQLite's error
  /// if a step fails. For hot reads where GRDB's rows (each column looked up by name) cost more than SQLite's read.
  static func forEachRow(_ handle: SQLiteStatement, _ db: Database, _ row: () throws -> Void) throws {
    while true {
      let code = sqlite3_step(handle)
      guard code == SQLITE_ROW else {
        guard code == SQLITE_DONE else { throw sqliteError(code, db) }
        return
      }
      try row()
    }
  }

  /// SQLite's error `code` on `db`'s connection, as GRDB reports it.
  static func sqliteError(_ code: Int32, _ db: Database) -> DatabaseError {
    DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
  }

  /// Column `index` of the current row of `handle` as text ("" for NULL).
  static func columnText(_ handle: SQLiteStatement, _ index: Int32) -> String {
    guard let text = sqlite3_column_text(handle, index) else { return "" }
    return String(
      decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, index))), as: UTF8.self)
  }
}
