/// Step 3: schools into centre-sessions ("bins", one bus trip each).
extension PlannerState {
  /// Packs every candidate not yet placed into a bin; returns the members of each bin.
  mutating func packSchools() -> [[Int]] {
    let sessions = problem.sessions.count
    let binCount = sessions * problem.centreCount
    var remaining = Array(repeating: 0, count: binCount)
    var accessibleRemaining = Array(repeating: 0, count: binCount)
    // Seats in accessible rooms at the even fill: accessible-seat candidates spread over these first.
    var accessibleTarget = Array(repeating: 0, count: binCount)
    var schoolCap = Array(repeating: 0, count: binCount)
    // Without the even-fill target: every usable seat, and one colour class per room for one school.
    var usableRemaining = Array(repeating: 0, count: binCount)
    var cleanCap = Array(repeating: 0, count: binCount)
    // A whole school may push a bin past its even-fill target, but not past this many seats.
    var wholeCap = Array(repeating: 0, count: binCount)
    // Accessible-seat candidates fill the smaller colour class of the accessible rooms first (step 4); past
    // these seats they take seats from the class a large school would use.
    var accessibleSmallClasses = Array(repeating: 0, count: binCount)
    var accessibleIn = Array(repeating: 0, count: binCount)
    for s in 0..<sessions {
      for (r, info) in problem.rooms.enumerated() {
        let rs = problem.roomSession(session: s, room: r)
        guard !exclusive[rs] else { continue }
        let b = problem.bin(session: s, centre: info.centre)
        remaining[b] += target[rs]
        if info.room.accessible {
          accessibleRemaining[b] += info.usable.count
          accessibleTarget[b] += target[rs]
          accessibleSmallClasses[b] += info.colourClasses.map(\.count).min() ?? 0
        }
        schoolCap[b] += min(target[rs], info.colourClasses.map(\.count).max() ?? 0)
        usableRemaining[b] += info.usable.count
        cleanCap[b] += info.colourClasses.map(\.count).max() ?? 0
        wholeCap[b] += PlannerState.target(usable: info.usable.count, fill: min(1, fill + wholeSchoolSlack))
      }
    }
    // Bins each district may use, centre by centre.
    let reachableBins: [[Int]] = problem.districtNames.indices.map { d in
      var bins: [Int] = []
      for c in 0..<problem.centreCount where problem.reachable(district: d, centre: c) {
        for s in 0..<sessions { bins.append(problem.bin(session: s, centre: c)) }
      }
      return bins
    }
    // Members per school, shuffled by the seed; schools largest first, ties in seeded order.
    var accessibleMembers = Array(repeating: [Int](), count: problem.schoolNames.count)
    var regularMembers = accessibleMembers
    for i in problem.candidates.indices where roomSessionOf[i] < 0 {
      if needs(i, .accessibleSeat) {
        accessibleMembers[problem.candidateSchool[i]].append(i)
      } else {
        regularMembers[problem.candidateSchool[i]].append(i)
      }
    }
    for s in regularMembers.indices {
      random.shuffle(&regularMembers[s])
      random.shuffle(&accessibleMembers[s])
    }
    var order = Array(problem.schoolNames.indices)
    random.shuffle(&order)
    var rank = Array(repeating: 0, count: order.count)
    for (position, school) in order.enumerated() { rank[school] = position }
    let size = problem.schoolNames.indices.map { regularMembers[$0].count + accessibleMembers[$0].count }
    order.sort { (-size[$0], rank[$0]) < (-size[$1], rank[$1]) }

    // Seats of each centre not yet taken, and seats it still owes to districts' quotas: a school may
    // overdraw its district's quota at a centre only from seats nobody else is owed.
    var centreFree = Array(repeating: 0, count: problem.centreCount)
    var outstanding = centreFree
    for b in 0..<binCount { centreFree[b % problem.centreCount] += usableRemaining[b] }
    for row in quota { for (c, q) in row.enumerated() { outstanding[c] += max(q, 0) } }
    var members = Array(repeating: [Int](), count: binCount)
    var schoolInBin = Array(repeating: [Int: Int](), count: binCount)

    func place(_ chunk: ArraySlice<Int>, school: Int, bin b: Int, accessible: Bool) {
      members[b].append(contentsOf: chunk)
      schoolInBin[b][school, default: 0] += chunk.count
      remaining[b] -= chunk.count
      usableRemaining[b] -= chunk.count
      if accessible {
        accessibleIn[b] += chunk.count
        accessibleRemaining[b] -= chunk.count
        accessibleTarget[b] -= chunk.count
      }
      let c = b % problem.centreCount
      let d = problem.schoolDistrict[school]
      let before = quota[d][c]
      quota[d][c] -= chunk.count
      outstanding[c] -= max(before, 0) - max(quota[d][c], 0)
      centreFree[c] -= chunk.count
    }

    /// Picks the bin for the next piece of `school`'s `count` candidates; returns it with the piece size.
    /// A bin that takes the whole rest of the school (one bus trip) wins, even above its even-fill target,
    /// as long as the school keeps to one colour class per room; else the biggest piece within targets.
    func choose(school: Int, count: Int, accessible: Bool) -> (bin: Int, amount: Int)? {
      let d = problem.schoolDistrict[school]
      /// Seats of bin b one school can hold with one colour class per room.
      func oneClassSeats(_ b: Int, _ cap: [Int]) -> Int { cap[b] - max(0, accessibleIn[b] - accessibleSmallClasses[b]) }
      if !accessible {
        var best: (key: (Int, Int, Int, Int, Int), bin: Int)?
        for b in reachableBins[d] {
          let c = b % problem.centreCount
          let inBin = schoolInBin[b][school] ?? 0
          guard count <= usableRemaining[b], count + inBin <= oneClassSeats(b, cleanCap),
            members[b].count + count <= wholeCap[b],
            count <= quota[d][c] || count - max(quota[d][c], 0) <= centreFree[c] - outstanding[c]
          else { continue }
          let present = inBin > 0 ? 0 : 1
          let overflow = max(0, count - max(remaining[b], 0))
          let away = problem.centreDistrict[c] == d ? 0 : 1
          let key = (present, overflow, remaining[b], away, b)
          if best == nil || key < best!.key { best = (key, b) }
        }
        if let best { return (best.bin, count) }
      }
      for relax in 0..<4 {
        var best: (key: (Int, Int, Int, Int), bin: Int, amount: Int)?
        for b in reachableBins[d] {
          let c = b % problem.centreCount
          var amount = min(count, relax < 3 ? max(remaining[b], 0) : usableRemaining[b])
          if accessible {
            amount = min(count, relax < 3 ? accessibleTarget[b] : accessibleRemaining[b], usableRemaining[b])
          }
          if relax < 2 { amount = min(amount, quota[d][c]) }
          if relax < 1 && !accessible { amount = min(amount, oneClassSeats(b, schoolCap) - (schoolInBin[b][school] ?? 0)) }
          guard amount > 0 else { continue }
          let present = schoolInBin[b][school] != nil ? 0 : 1
          let away = problem.centreDistrict[c] == d ? 0 : 1
          let key = (present, -amount, away, b)
          if best == nil || key < best!.key { best = (key, b, amount) }
        }
        if let best { return (best.bin, best.amount) }
      }
      return nil
    }

    for accessible in [true, false] {
      for school in order {
        var list = accessible ? accessibleMembers[school] : regularMembers[school]
        while !list.isEmpty {
          guard let (b, amount) = choose(school: school, count: list.count, accessible: accessible) else {
            // Cannot happen after the flow check; keep the candidates unplaced so the checker reports them.
            break
          }
          place(list.prefix(amount), school: school, bin: b, accessible: accessible)
          list.removeFirst(amount)
        }
      }
    }
    return members
  }
}
