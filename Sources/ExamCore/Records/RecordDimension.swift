/// One of the four dimensions of Shanghai's comprehensive quality evaluation.
public enum RecordDimension: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
  case character
  case academic
  case health
  case innovation

  /// The official Chinese name.
  public var chineseName: String {
    switch self {
    case .character: "品德发展与公民素养"
    case .academic: "修习课程与学业成绩"
    case .health: "身心健康与艺术素养"
    case .innovation: "创新精神与实践能力"
    }
  }

  /// The name in traditional characters, also accepted on import.
  public var traditionalName: String {
    switch self {
    case .character: "品德發展與公民素養"
    case .academic: "修習課程與學業成績"
    case .health: "身心健康與藝術素養"
    case .innovation: "創新精神與實踐能力"
    }
  }

  /// An English name for readers who do not read Chinese.
  public var englishName: String {
    switch self {
    case .character: "Character and citizenship"
    case .academic: "Courses and academic results"
    case .health: "Health and the arts"
    case .innovation: "Innovation and practice"
    }
  }

  /// Reads the key (`academic`), the Chinese name (simplified or traditional, pinyin annotations such as
  /// `發(fā)` ignored) or the English name.
  public init?(text: String) {
    let t = RecordText.strippingPinyin(text.trimmingSpaces())
    if let d = RecordDimension(rawValue: t.lowercased()) {
      self = d
      return
    }
    guard
      let d = RecordDimension.allCases.first(where: {
        $0.chineseName == t || $0.traditionalName == t || $0.englishName.lowercased() == t.lowercased()
      })
    else { return nil }
    self = d
  }

  public static func < (a: RecordDimension, b: RecordDimension) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// Text clean-up for Chinese names in imported files.
enum RecordText {
  /// `品德發(fā)展` → `品德發展`: drops parenthesised pinyin that some converters put after a Chinese character.
  static func strippingPinyin(_ text: String) -> String {
    guard text.contains("(") else { return text }
    let scalars = Array(text.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    while i < scalars.count {
      if scalars[i] == "(", let previous = out.last, (0x4E00...0x9FFF).contains(previous.value),
        let close = scalars[(i + 1)...].firstIndex(of: ")"), close > i + 1,
        scalars[(i + 1)..<close].allSatisfy({ ("a"..."z").contains($0) || (0xC0...0x24F).contains($0.value) })
      {
        i = close + 1
        continue
      }
      out.append(scalars[i])
      i += 1
    }
    return String(out)
  }
}
