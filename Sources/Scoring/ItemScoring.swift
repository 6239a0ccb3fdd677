import ExamCore

/// Points on an item's scale from aspect scores or a listening choice.
public enum ItemScoring {
  /// The model aspect a rubric criterion is judged by, from its name; nil for criteria the machine cannot judge
  /// (content, task completion), which take the `total` aspect as a proxy in a first mark.
  public static func aspect(forCriterion name: String) -> String? {
    let n = name.lowercased()
    if n.contains("pronunc") || n.contains("accura") { return "accuracy" }
    if n.contains("fluen") { return "fluency" }
    if n.contains("prosod") || n.contains("intonation") || n.contains("rhythm") || n.contains("stress") {
      return "prosodic"
    }
    if n.contains("complete") { return "completeness" }
    return nil
  }

  /// Rubric points from aspect scores: Σ over criteria of points × aspect / scale, with `total` for criteria no
  /// aspect judges; without a rubric, the item's points × total / scale. Rounded to 0.01.
  public static func points(for item: ItemDefinition, aspects: [String: Double], scaleMaximum: [String: Double])
    -> Double
  {
    func share(_ aspect: String) -> Double {
      let value = aspects[aspect] ?? aspects["total"] ?? 0
      let scale = scaleMaximum[aspects[aspect] == nil ? "total" : aspect] ?? 10
      return min(max(value / scale, 0), 1)
    }
    let raw: Double
    if let rubric = item.rubric, !rubric.criteria.isEmpty {
      let criteriaTotal = rubric.criteria.reduce(0) { $0 + $1.points }
      let earned = rubric.criteria.reduce(0) { $0 + $1.points * share(aspect(forCriterion: $1.name) ?? "total") }
      raw = criteriaTotal > 0 ? earned * item.points / criteriaTotal : 0
    } else {
      raw = item.points * share("total")
    }
    return (raw * 100).rounded() / 100
  }

  /// A listening item's points: full when the choice equals the key (ignoring case and spaces), else 0.
  public static func listeningPoints(for item: ItemDefinition, choice: String?) -> Double {
    guard let key = item.answerKey?.trimmingSpaces().uppercased(), !key.isEmpty,
      let given = choice?.trimmingSpaces().uppercased(), !given.isEmpty
    else { return 0 }
    return given == key ? item.points : 0
  }

  /// The tolerance and resolution that apply to an item: its rubric's, else 20% of its points and mean-of-closest.
  public static func markingRule(for item: ItemDefinition) -> Rubric {
    item.rubric ?? Rubric(criteria: [], tolerance: item.points * 0.2, resolution: .meanOfClosest)
  }
}
