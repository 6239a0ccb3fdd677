import ArgumentParser

extension ExamCommand {
  /// `exam records …`: students' comprehensive quality evaluation records (綜合素質(zhì)評(píng)價(jià)).
  struct RecordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "records",
      abstract: "Students' comprehensive quality evaluation records (綜合素質(zhì)評(píng)價(jià)): import, sync results, check, export.",
      discussion: """
        The four dimensions: character (品德發(fā)展與公民素養(yǎng)), academic (修習(xí)課程與學(xué)業(yè)成績(jī)), health (身心健康與藝術(shù)素養(yǎng)),
        innovation (創(chuàng)新精神與實(shí)踐能力), plus school-specific indicators on any entry.

        Example:
          exam records import school-42.csv
          exam records sync --exam 2026-SH-ELS
          exam records check --school 市實(shí)驗(yàn)中學(xué)
          exam records export --format json,csv,html --school 市實(shí)驗(yàn)中學(xué) --out out/records --sign office.key
          exam records verify out/records --pubkey office.pub
        """,
      subcommands: [Import.self, Sync.self, Check.self, Export.self, Verify.self])
  }
}
