extension ModelEvaluator {
  /// Agreement within bands: the experts' mean of `total` (or the first aspect) under 6, 6–8 and 8 or more, and,
  /// when the samples carry ages, under 13, 13–17 and adults.
  func bands(_ samples: [CalibrationSample], predictions: [String: [Double]], ratings: HumanRatings)
    -> [EvaluationReport.Band]
  {
    let banding = ratings.aspects.contains("total") ? "total" : ratings.aspects.first ?? ""
    var groups: [(String, (CalibrationSample) -> Bool)] = [
      ("\(banding) < 6", { (ratings.mean($0.id, banding) ?? -1) >= 0 && (ratings.mean($0.id, banding) ?? 0) < 6 }),
      ("\(banding) 6–8", { (6..<8).contains(ratings.mean($0.id, banding) ?? -1) }),
      ("\(banding) ≥ 8", { (ratings.mean($0.id, banding) ?? -1) >= 8 }),
    ]
    if samples.contains(where: { $0.ageYears != nil }) {
      groups += [
        ("age < 13", { ($0.ageYears ?? 99) < 13 }), ("age 13–17", { (13..<18).contains($0.ageYears ?? -1) }),
        ("age ≥ 18", { ($0.ageYears ?? -1) >= 18 }),
      ]
    }
    return groups.map { name, member in
      var pearson: [String: Double] = [:]
      var humanVersusRest: [String: Double] = [:]
      let indices = samples.indices.filter { member(samples[$0]) }
      for a in ratings.aspects {
        var machine: [Double] = [], human: [Double] = [], raw: [[Double?]] = []
        for i in indices {
          guard let h = ratings.mean(samples[i].id, a), let p = predictions[a]?[i] else { continue }
          machine.append(p)
          human.append(h)
          raw.append(ratings.ratings[samples[i].id]?[a] ?? [])
        }
        let r = AgreementMetrics.pearson(machine, human)
        if r.isFinite { pearson[a] = r }
        let maximum = ratings.scaleMaximum[a] ?? 10
        if let h = AgreementMetrics.oneVersusRestMean(raw, scaleMaximum: maximum)?.pearson, h.isFinite {
          humanVersusRest[a] = h
        }
      }
      return EvaluationReport.Band(
        name: name, answers: indices.count, pearson: pearson,
        humanVersusRest: humanVersusRest.isEmpty ? nil : humanVersusRest)
    }
  }
}
