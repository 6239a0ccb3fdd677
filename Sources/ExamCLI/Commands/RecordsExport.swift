import ArgumentParser
import ExamCore
import ExamStorage
import Foundation
import Records
import Signing

extension ExamCommand.RecordsCommand {
  struct Export: ExamSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Export students' records for admissions (JSON, CSV, HTML) with a signed MANIFEST.json.",
      discussion: """
        records.json validates against docs/schemas/records-export.schema.json; records.csv is UTF-8 with a BOM \
        (Excel on Chinese Windows); html/<student number>.html is one printable A4 record per student, with a \
        chart of the test results. National IDs show only their first 6 and last 4 characters unless --unmask \
        (which needs --reason and is written to the audit trail with the operator). MANIFEST.json lists every \
        file's SHA-256 and is signed with --sign; check it with `exam records verify`. The folder appears whole \
        or not at all.

        Example:
          exam records export --format json,csv --cohort 2027 --out out/2027 --sign office.key
          exam records export --format html --school 市实验中学 --out out/sy --sign office.key
          exam records export --format json --ids admitted.txt --unmask --reason "admission 2027 batch 1" --out out/a --sign office.key
        """)

    static let runsOnPostgres = true

    @OptionGroup var global: GlobalOptions
    @Option(help: "Formats, comma-separated: json, csv, html.") var format: String
    @Option(help: "Only this school.") var school: String?
    @Option(help: "Only this district.") var district: String?
    @Option(help: "Only this cohort (year of graduation).") var cohort: Int?
    @Option(help: "A file of national IDs, one a line: only these students.") var ids: String?
    @Option(help: "Folder to create.") var out: String
    @Option(help: "Private key that signs MANIFEST.json (from `exam keys generate`).") var sign: String
    @Flag(help: "Show national IDs in full (needs --reason; audit-logged).") var unmask = false
    @Option(help: "Why full national IDs are needed (for the audit trail).") var reason: String?
    @Flag(help: "Replace an existing --out folder.") var force = false
    @Flag(help: "Print the summary as JSON.") var json = false

    var formats: [RecordsExportFormat] {
      var seen: [RecordsExportFormat] = []
      for part in format.split(separator: ",") {
        if let f = RecordsExportFormat(rawValue: part.trimmingCharacters(in: .whitespaces).lowercased()),
          !seen.contains(f)
        {
          seen.append(f)
        }
      }
      return seen
    }

    func validate() throws {
      for part in format.split(separator: ",")
      where RecordsExportFormat(rawValue: part.trimmingCharacters(in: .whitespaces).lowercased()) == nil {
        throw ValidationError("'--format' takes json, csv and html, comma-separated (got '\(part)').")
      }
      if formats.isEmpty { throw ValidationError("'--format' takes json, csv and html, comma-separated.") }
      if unmask && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
        throw ValidationError(
          "'--unmask' needs '--reason \"…\"': why full national IDs are needed (it is audit-logged).")
      }
      if !unmask && reason != nil { throw ValidationError("'--reason' goes with '--unmask'.") }
    }

    var auditArguments: [String] {
      var arguments = ["--format", format, "--out", out]
      if let school { arguments += ["--school", school] }
      if let district { arguments += ["--district", district] }
      if let cohort { arguments += ["--cohort", String(cohort)] }
      if let ids { arguments += ["--ids", ids] }
      if unmask { arguments += ["--unmask", "--reason", reason ?? ""] }
      return arguments
    }

    func run(_ context: CommandContext) async throws {
      let store = context.recordsStore
      let key = try SigningKey(contentsOf: sign)
      let idSet = try ids.map { try RecordsExport.readIds(path: $0) }
      let exporter = RecordsExport(
        formats: formats,
        filter: RecordFilter(school: school, district: district, cohort: cohort, nationalIds: idSet), idsFile: ids,
        outputDirectory: out, unmask: unmask, reason: reason, force: force)
      let total = try await store.recordStudents(exporter.filter).count  // students, counted as each batch is written
      let summary = try await exporter.run(
        store: store, key: key,
        audit: context.audit(""),
        progress: context.progress("records export", total: total))
      if json {
        print(JSONOutput.string(summary))
        return
      }
      print(
        """
        wrote \(summary.students) student record(s) (\(summary.formats.map(\.rawValue).joined(separator: ", "))) to \(summary.directory): \
        \(summary.files) file(s), MANIFEST.json signed by \(summary.signerFingerprint), national IDs \(summary.nationalIdsMasked ? "masked" : "UNMASKED")
        """)
      if let sample = summary.sampleHTML { print("one student's record: \(summary.directory)/\(sample)") }
      if !summary.idsNotFound.isEmpty {
        print(
          "\(summary.idsNotFound.count) national ID(s) of \(ids ?? "--ids") match no student (or not the other filters): "
            + summary.idsNotFound.prefix(10).joined(separator: ", ") + (summary.idsNotFound.count > 10 ? ", …" : ""))
      }
    }
  }
}
