import ExamCore
import ExamStorage
import Foundation
import Signing
import Testing
import _ExamTestSupport

@testable import Records

@Suite struct ExportTests {
  static let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../docs/schemas/records-export.schema.json").standardizedFileURL.path

  /// Three students in two schools; student 1 sat twice (E1 counted, E2 lower), student 3 has gaps.
  static func store() async throws -> ExamDatabase {
    let database = try ExamDatabase.inMemory()
    try await fill(database)
    return database
  }

  /// Writes the three students, their sittings and the exams into `database`.
  static func fill(_ database: any RecordsStore) async throws {
    let lines =
      Fixtures.completeStudent(1) + Fixtures.completeStudent(2, school: "二中") + [
        Fixtures.line(
          3, dimension: "character", type: "volunteer-service", title: "社区\"微心愿\", 服务", hours: "8",
          evidence: "", status: "entered")
      ]
    let parsed = try RecordsImport.parse(csv: Fixtures.csv(lines), source: "s.csv")
    _ = try await database.importRecords(students: parsed.students, entries: parsed.entries, audit: Fixtures.audit())
    try await Fixtures.examWithCandidates(database, examId: "E1", students: 1...3)
    try await Fixtures.examWithCandidates(database, examId: "E2", students: 1...1)
    try await database.saveResults([Fixtures.result("E1", 1, total: 1.75, date: "2026-06-14")], audit: Fixtures.audit())
    try await database.saveResults([Fixtures.result("E2", 1, total: 1.25, date: "2026-11-08")], audit: Fixtures.audit())
    _ = try await RecordsSync.sync(examId: "E1", store: database, audit: Fixtures.audit())
    _ = try await RecordsSync.sync(examId: "E2", store: database, audit: Fixtures.audit())
  }

  static func allText(in directory: String) throws -> String {
    try ExportManifest.listFiles(directory).map { try String(contentsOfFile: directory + "/" + $0, encoding: .utf8) }
      .joined(separator: "\n")
  }

  @Test func jsonValidatesAgainstTheCommittedSchema() async throws {
    let database = try await Self.store()
    try await withTemporaryDirectory { dir in
      let key = SigningKey()
      _ = try await RecordsExport(formats: [.json], filter: RecordFilter(), outputDirectory: dir.file("out"))
        .run(store: database, key: key, audit: Fixtures.audit())
      let schema = JSONSchemaSubset(root: try JSONValue.parse(String(contentsOfFile: Self.schemaPath, encoding: .utf8)))
      let document = try JSONValue.parse(String(contentsOfFile: dir.file("out/records.json"), encoding: .utf8))
      #expect(schema.validate(document) == [])
      let students = document["students"]?.array ?? []
      #expect(students.count == 3)
      let one = students.first { $0["studentNumber"]?.string == "S1" }
      let academic = one?["dimensions"]?.array.first { $0["key"]?.string == "academic" }
      let tests = academic?["testResults"]?.array ?? []
      #expect(tests.map { $0["counted"] } == [.bool(true), .bool(false)])
      #expect(tests.first?["sections"]?["LA"] == .number(0.875))
      #expect(one?["nationalId"]?.string == NationalID.masked(Fixtures.nationalId(1)))
      // The validator is not a rubber stamp: a broken document fails.
      var broken = try String(contentsOfFile: dir.file("out/records.json"), encoding: .utf8)
      broken = broken.replacingOccurrences(of: "\"status\":\"approved\"", with: "\"status\":\"maybe\"")
      #expect(!schema.validate(try JSONValue.parse(broken)).isEmpty)
      let masked = broken.replacingOccurrences(of: NationalID.masked(Fixtures.nationalId(1)), with: "310101")
      #expect(schema.validate(try JSONValue.parse(masked)).contains { $0.contains("nationalId") })
    }
  }

  @Test func csvHasABOMAndOneRowPerEntryAndSitting() async throws {
    let database = try await Self.store()
    try await withTemporaryDirectory { dir in
      _ = try await RecordsExport(
        formats: [.csv], filter: RecordFilter(school: "市实验中学"), outputDirectory: dir.file("out")
      )
      .run(store: database, key: SigningKey(), audit: Fixtures.audit())
      let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: dir.file("out/records.csv"))))
      #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
      let table = try CSVTable(parsing: String(decoding: bytes, as: UTF8.self), source: "records.csv")
      #expect(table.header == ExportCSV.header)
      // Student 1: 5 entries + 2 sittings; student 3: one entry (with a comma and quotes in its title).
      #expect(table.rows.count == 8)
      #expect(table.rows.contains { table.value($0, "title") == "社区\"微心愿\", 服务" })
      let sittings = table.rows.filter { table.value($0, "type") == "level-test" }
      #expect(sittings.map { table.value($0, "counted") } == ["yes", "no"])
      #expect(sittings.first.map { table.value($0, "sections") } == "LA=0.875;SA=0.875")
      #expect(!table.rows.contains { table.value($0, "school") == "二中" })
    }
  }

  @Test func htmlIsAPrintablePagePerStudentWithAChartAndNoScripts() async throws {
    let database = try await Self.store()
    try await withTemporaryDirectory { dir in
      let summary = try await RecordsExport(formats: [.html], filter: RecordFilter(), outputDirectory: dir.file("out"))
        .run(store: database, key: SigningKey(), audit: Fixtures.audit())
      #expect(summary.sampleHTML != nil)
      let page = try String(contentsOfFile: dir.file("out/html/S1.html"), encoding: .utf8)
      for dimension in RecordDimension.allCases { #expect(page.contains(dimension.chineseName)) }
      #expect(page.contains("@page { size: A4"))
      #expect(page.contains("<svg"))
      #expect(page.components(separatedBy: "<rect").count - 1 == 2 * 2 + 2)  // 2 sittings × 2 parts + legend
      #expect(!page.lowercased().contains("<script"))
      #expect(page.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil)  // no inline event handlers
      #expect(page.contains("社区图书馆志愿者"))
      #expect(page.contains("科创社团"))  // the school-specific indicator
      let gaps = try String(contentsOfFile: dir.file("out/html/S3.html"), encoding: .utf8)
      #expect(gaps.contains("社区&quot;微心愿&quot;, 服务"))
      #expect(gaps.contains("志愿服务不足"))
      #expect(FileSystem.exists(dir.file("out/html/index.html")))
    }
  }

  @Test func nationalIdsAreMaskedUnlessUnmaskedWithAReasonWhichIsAudited() async throws {
    let database = try await Self.store()
    try await withTemporaryDirectory { dir in
      let full = Fixtures.nationalId(1)
      _ = try await RecordsExport(
        formats: [.json, .csv, .html], filter: RecordFilter(), outputDirectory: dir.file("masked")
      )
      .run(store: database, key: SigningKey(), audit: Fixtures.audit())
      let masked = try Self.allText(in: dir.file("masked"))
      #expect(!masked.contains(full))
      #expect(masked.contains(NationalID.masked(full)))

      let noReason = await #expect(throws: ExamError.self) {
        try await RecordsExport(formats: [.json], filter: RecordFilter(), outputDirectory: dir.file("x"), unmask: true)
          .run(store: database, key: SigningKey(), audit: Fixtures.audit())
      }
      #expect(noReason?.code == .usage)
      #expect(!FileSystem.exists(dir.file("x")))

      _ = try await RecordsExport(
        formats: [.json, .csv, .html], filter: RecordFilter(), outputDirectory: dir.file("full"),
        unmask: true, reason: "招生录取 batch 1"
      )
      .run(store: database, key: SigningKey(), audit: Fixtures.audit("records export", operator: "li.admissions"))
      #expect(try Self.allText(in: dir.file("full")).contains(full))
      let line = try database.auditTrail().last
      #expect(line?.operator == "li.admissions")
      #expect(line?.summary.contains("UNMASKED, reason: 招生录取 batch 1") == true)
    }
  }

  @Test func filtersSelectBySchoolDistrictCohortAndIds() async throws {
    let database = try await Self.store()
    func count(_ filter: RecordFilter) async throws -> Int {
      try await StudentRecord.load(filter, store: database).count
    }
    #expect(try await count(RecordFilter(school: "二中")) == 1)
    #expect(try await count(RecordFilter(district: "浦东新区")) == 3)
    #expect(try await count(RecordFilter(district: "黄浦区")) == 0)
    #expect(try await count(RecordFilter(cohort: 2027)) == 3)
    #expect(try await count(RecordFilter(cohort: 2028)) == 0)
    try await withTemporaryDirectory { dir in
      try "# admitted\n\(Fixtures.nationalId(3))\n\n\(Fixtures.nationalId(1))\n".write(
        toFile: dir.file("ids.txt"), atomically: true, encoding: .utf8)
      let ids = try RecordsExport.readIds(path: dir.file("ids.txt"))
      #expect(
        try await StudentRecord.load(RecordFilter(nationalIds: ids), store: database).map(\.student.studentNumber) == [
          "S1", "S3",
        ])
      let partial = try await RecordsExport(
        formats: [.csv], filter: RecordFilter(nationalIds: [Fixtures.nationalId(1), Fixtures.nationalId(9)]),
        outputDirectory: dir.file("partial")
      ).run(store: database, key: SigningKey(), audit: Fixtures.audit())
      #expect(partial.students == 1)
      #expect(partial.idsNotFound == [NationalID.masked(Fixtures.nationalId(9))])
      try "\(Fixtures.nationalId(1))\n12345\n".write(toFile: dir.file("bad.txt"), atomically: true, encoding: .utf8)
      let errors = #expect(throws: ExamErrors.self) { try RecordsExport.readIds(path: dir.file("bad.txt")) }
      #expect(errors?.errors.map(\.location) == ["line 2"])
      let none = await #expect(throws: ExamError.self) {
        try await RecordsExport(
          formats: [.json], filter: RecordFilter(school: "无此校"), outputDirectory: dir.file("none")
        )
        .run(store: database, key: SigningKey(), audit: Fixtures.audit())
      }
      #expect(none?.code == .notFound)
    }
  }

  @Test func verifyProvesNothingChangedAndNamesWhatDid() async throws {
    let database = try await Self.store()
    try await withTemporaryDirectory { dir in
      let key = SigningKey()
      let out = dir.file("out")
      _ = try await RecordsExport(formats: [.json, .csv, .html], filter: RecordFilter(), outputDirectory: out)
        .run(store: database, key: key, audit: Fixtures.audit())
      let ok = try ExportManifest.verify(directory: out, publicKey: key.publicKey)
      #expect(ok.files == 2 + 3 + 1)  // records.json, records.csv, 3 pages, index.html
      // Another key's holder did not sign it.
      let stranger = #expect(throws: ExamError.self) {
        try ExportManifest.verify(directory: out, publicKey: SigningKey().publicKey)
      }
      #expect(stranger?.code == .integrity)
      // One byte altered.
      var csv = try Data(contentsOf: URL(fileURLWithPath: out + "/records.csv"))
      csv[csv.count - 2] ^= 1
      try csv.write(to: URL(fileURLWithPath: out + "/records.csv"))
      let altered = #expect(throws: ExamError.self) {
        try ExportManifest.verify(directory: out, publicKey: key.publicKey)
      }
      #expect(altered?.code == .integrity)
      #expect(altered?.file == out + "/records.csv")
      // Added and missing files are named too, all at once.
      try "x".write(toFile: out + "/html/extra.html", atomically: true, encoding: .utf8)
      try FileManager.default.removeItem(atPath: out + "/html/S2.html")
      let all = #expect(throws: ExamErrors.self) { try ExportManifest.verify(directory: out, publicKey: key.publicKey) }
      #expect(
        Set(all?.errors.compactMap(\.file) ?? []) == [
          out + "/records.csv", out + "/html/extra.html", out + "/html/S2.html",
        ])
      // A rewritten manifest no longer matches its signature.
      let manifest = try String(contentsOfFile: out + "/MANIFEST.json", encoding: .utf8)
      try manifest.replacingOccurrences(of: "records.csv", with: "records.cs_").write(
        toFile: out + "/MANIFEST.json", atomically: true, encoding: .utf8)
      let forged = #expect(throws: ExamError.self) {
        try ExportManifest.verify(directory: out, publicKey: key.publicKey)
      }
      #expect(forged?.file == out + "/MANIFEST.json")
    }
  }

  @Test func verifyNamesFoldersAndLinksAndKeepsGoing() async throws {
    // #17 class 16: a listed file replaced by a folder stopped the listing; an added empty folder and a file
    // swapped for a link (to the same bytes) passed.
    let database = try await Self.store()
    try await withTemporaryDirectory { dir in
      let key = SigningKey()
      let out = dir.file("out")
      _ = try await RecordsExport(formats: [.json, .csv, .html], filter: RecordFilter(), outputDirectory: out)
        .run(store: database, key: key, audit: Fixtures.audit())
      let fm = FileManager.default
      try fm.removeItem(atPath: out + "/records.csv")
      try fm.createDirectory(atPath: out + "/records.csv", withIntermediateDirectories: false)
      try fm.createDirectory(atPath: out + "/empty", withIntermediateDirectories: false)
      try fm.copyItem(atPath: out + "/records.json", toPath: dir.file("same.json"))
      try fm.removeItem(atPath: out + "/records.json")
      try fm.createSymbolicLink(atPath: out + "/records.json", withDestinationPath: dir.file("same.json"))
      try "x".write(toFile: out + "/html/extra.html", atomically: true, encoding: .utf8)
      let all = #expect(throws: ExamErrors.self) { try ExportManifest.verify(directory: out, publicKey: key.publicKey) }
      let byFile = Dictionary((all?.errors ?? []).map { ($0.file ?? "", $0.message) }, uniquingKeysWith: { a, _ in a })
      #expect(
        byFile.keys.sorted()
          == [out + "/empty", out + "/html/extra.html", out + "/records.csv", out + "/records.json"].sorted())
      #expect(byFile[out + "/records.csv"]?.contains("a folder") == true)
      #expect(byFile[out + "/records.json"]?.contains("a symbolic link") == true)
      #expect(byFile[out + "/empty"]?.contains("a folder added") == true)
    }
  }

  @Test func exportsArePrivateToTheirOwner() async throws {
    // #17 class 16: exports hold identities (--unmask ones in full): folders 0700, files 0600 from the start.
    let database = try await Self.store()
    try await withTemporaryDirectory { dir in
      let out = dir.file("out")
      _ = try await RecordsExport(
        formats: [.json, .csv, .html], filter: RecordFilter(), outputDirectory: out, unmask: true,
        reason: "admissions"
      )
      .run(store: database, key: SigningKey(), audit: Fixtures.audit())
      var info = stat()
      for path in [out, out + "/html"] {
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o700, "\(path)")
      }
      for file in try ExportManifest.listFiles(out) + ["MANIFEST.json"] {
        #expect(stat(out + "/" + file, &info) == 0 && info.st_mode & 0o777 == 0o600, "\(file)")
      }
    }
  }

  @Test func theExportAppearsWholeOrNotAtAll() async throws {
    let database = try await Self.store()
    try await withTemporaryDirectory { dir in
      let out = dir.file("out")
      // A crashed earlier run left a partial folder behind: the next run removes it.
      try FileManager.default.createDirectory(atPath: out + ".partial-123", withIntermediateDirectories: true)
      let exporter = RecordsExport(formats: [.json], filter: RecordFilter(), outputDirectory: out)
      _ = try await exporter.run(store: database, key: SigningKey(), audit: Fixtures.audit())
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out"])
      // An existing folder is not overwritten without --force …
      let exists = await #expect(throws: ExamError.self) {
        try await exporter.run(store: database, key: SigningKey(), audit: Fixtures.audit())
      }
      #expect(exists?.code == .conflict)
      // … and with it, is replaced whole.
      var forced = exporter
      forced.force = true
      forced.formats = [.csv]
      _ = try await forced.run(store: database, key: SigningKey(), audit: Fixtures.audit())
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [
          "MANIFEST.json", "MANIFEST.json.sig", "records.csv",
        ])
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out"])
    }
  }

  /// The same records give the same export files on PostgreSQL as on SQLite (the signature aside: a new key each).
  @Test(.enabled(if: TestPostgres.isAvailable)) func postgresExportsTheSameFilesAsSQLite() async throws {
    let sqlite = try await Self.store()
    try await withTemporaryDirectory { dir in
      let key = SigningKey()
      func export(_ store: any RecordsStore, to name: String) async throws {
        _ = try await RecordsExport(
          formats: [.json, .csv, .html], filter: RecordFilter(), outputDirectory: dir.file(name)
        )
        .run(store: store, key: key, audit: Fixtures.audit())
      }
      try await export(sqlite, to: "sqlite")
      try await TestBackend.postgres.withRecordsStore { postgres in
        try await Self.fill(postgres)
        try await export(postgres, to: "postgres")
        #expect(try await postgres.recordTestSittings(RecordFilter()) == sqlite.recordTestSittings())
      }
      let files = try FileManager.default.subpathsOfDirectory(atPath: dir.file("sqlite")).sorted()
      #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: dir.file("postgres")).sorted()))
      #expect(files.contains("records.json") && files.contains("records.csv"))
      for file in files where !file.hasPrefix("MANIFEST") && !FileSystem.isDirectory(dir.file("sqlite/" + file)) {
        #expect(
          FileManager.default.contents(atPath: dir.file("sqlite/" + file))
            == FileManager.default.contents(atPath: dir.file("postgres/" + file)), "\(file)")
      }
    }
  }
}
