import GRDB

extension Schema {
  /// v2-records: students' comprehensive quality evaluation records (综合素质评价) — students, their entries
  /// per dimension, and the listening-and-speaking sittings filed in the academic dimension.
  static func registerRecords(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v2-records") { db in
      try db.create(table: "student") { t in
        t.primaryKey("nationalId", .text)
        t.column("studentNumber", .text).notNull().unique()
        t.column("name", .text).notNull()
        t.column("school", .text).notNull().indexed()
        t.column("district", .text).notNull().indexed()
        t.column("className", .text).notNull()
        t.column("cohort", .integer).notNull().indexed()
      }
      try db.create(table: "recordEntry") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("nationalId", .text).notNull().references("student", onDelete: .cascade)
        t.column("dimension", .text).notNull()  // RecordDimension raw value
        t.column("indicator", .text)  // school-specific indicator, or NULL
        t.column("type", .text).notNull()  // RecordEntryType raw value
        t.column("title", .text).notNull()
        t.column("date", .text).notNull()  // YYYY-MM-DD
        t.column("hours", .double)
        t.column("score", .double)
        t.column("grade", .text)
        t.column("source", .text).notNull()
        t.column("evidence", .text)
        t.column("status", .text).notNull()  // entered | confirmed | approved
        t.column("importedAt", .text).notNull()
        t.uniqueKey(["nationalId", "dimension", "type", "title", "date"])
      }
      try db.create(table: "recordTestSitting") { t in
        t.column("nationalId", .text).notNull().references("student", onDelete: .cascade)
        t.column("examId", .text).notNull()
        t.column("examTitle", .text).notNull()
        t.column("candidateId", .text).notNull()
        t.column("sittingDate", .text).notNull()
        t.column("total", .double).notNull()
        t.column("maxTotal", .double).notNull()
        t.column("listening", .double).notNull()
        t.column("speaking", .double).notNull()
        t.column("sectionScoresJSON", .text).notNull()
        t.column("level", .text).notNull()
        t.column("counted", .boolean).notNull()
        t.column("syncedAt", .text).notNull()
        t.primaryKey(["nationalId", "examId"])
      }
    }
  }
}
