// Usage: records-bench-seed DB RECORDS.csv [EXAM_ID]   (DB: a SQLite file, or a postgres:// URL)
// Benchmark set-up for Tools/bench-records.sh: registers an exam, one candidate per student of RECORDS.csv
// (Tools/make-sample-records.py) and a finalised result for each, through ExamStorage's own imports (with their
// audit lines), standing in for the packs, rooms and scoring steps, so that `exam records sync` and the exports
// have test results to carry. Deterministic (seeded scores); the store must exist (`exam init`).
import ExamCore
import ExamStorage
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else {
  FileHandle.standardError.write(Data("usage: records-bench-seed DB RECORDS.csv [EXAM_ID]\n".utf8))
  exit(64)
}
let examId = arguments.count > 2 ? arguments[2] : "BENCH-2026"

do {
  let database: any RecordsStore =
    PostgresStore.isPostgresURL(arguments[0])
    ? try await PostgresStore.connect(url: arguments[0]) : try ExamDatabase(path: arguments[0])
  var students: [(nationalId: String, name: String, school: String, district: String)] = []
  var seen = Set<String>()
  var column: [String: Int] = [:]
  try CSVFileReader(path: arguments[1]).forEachRow(header: { names in
    column = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    for name in ["national_id", "name", "school", "district"] where column[name] == nil {
      throw ExamError(
        .invalidInput, file: arguments[1], "has no '\(name)' column", fix: "make it with Tools/make-sample-records.py")
    }
  }) { row in
    let f = row.fields
    let id = f[column["national_id"]!]
    if seen.insert(id).inserted {
      students.append((id, f[column["name"]!], f[column["school"]!], f[column["district"]!]))
    }
  }
  let audit = AuditEntry(
    at: "2026-06-20T10:00:00Z", operator: "bench", command: "records-bench-seed",
    arguments: arguments.joined(separator: " "), summary: "benchmark set-up: \(students.count) candidates with results")
  let exam = ExamDefinition(
    id: examId, title: "英语听说测试（基准）",
    sections: [
      SectionDefinition(id: "LA", title: "Listening", part: .listening, points: 20, items: []),
      SectionDefinition(id: "SA", title: "Speaking", part: .speaking, points: 20, items: []),
    ], packSha256: String(repeating: "b", count: 64))
  _ = try await database.importExam(exam, audit: audit)
  let candidates = students.enumerated().map { i, s in
    Candidate(
      id: String(format: "K%07d", i + 1), name: s.name, nationalId: s.nationalId, school: s.school, district: s.district
    )
  }
  _ = try await database.importCandidates(candidates, audit: audit)
  var rng = SplitMix64(seed: 7)
  let results = candidates.map { c in
    let listening = Double(8 + Int(rng.next() % 13))
    let speaking = ((6 + 14 * Double(rng.next() % 1_000_000) / 1_000_000) * 2).rounded() / 2
    let total = listening + speaking
    let level = total >= 34 ? "A" : total >= 28 ? "B" : total >= 24 ? "C" : "D"
    return CandidateResult(
      examId: examId, candidateId: c.id, sittingDate: "2026-06-14", total: total, listening: listening,
      speaking: speaking, sectionScores: ["LA": listening, "SA": speaking], level: level,
      finalisedAt: "2026-06-20T10:00:00Z")
  }
  try await database.saveResults(results, audit: audit)
  if let postgres = database as? PostgresStore { await postgres.close() }
  print("seeded \(candidates.count) candidates with results for \(examId)")
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
