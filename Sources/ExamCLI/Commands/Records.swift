import ArgumentParser

extension ExamCommand {
  /// `exam records …`: students' comprehensive quality evaluation records (综合素质评价).
  struct RecordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "records",
      abstract: "Students' comprehensive quality evaluation records (综合素质评价): import, sync results, check, export.",
      discussion: """
        The four dimensions: character (品德发展与公民素养), academic (修习课程与学业成绩), health (身心健康与艺术素养), \
        innovation (创新精神与实践能力), plus school-specific indicators on any entry.

        Example:
          exam records import school-42.csv
          exam records sync --exam 2026-SH-ELS
          exam records check --school 市实验中学
          exam records export --format json,csv,html --school 市实验中学 --out out/records --sign office.key
          exam records verify out/records --pubkey office.pub
        """,
      subcommands: [Import.self, Sync.self, Check.self, Export.self, Verify.self])
  }
}
