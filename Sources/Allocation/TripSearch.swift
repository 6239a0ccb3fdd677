import ExamCore

/// Step 3b: fewer bus trips by closing pieces of schools (a school's candidates in one centre-session).
///
/// A large-neighbourhood search over the bins the schools already use: to close school s's piece in bin b, its
/// candidates move to other bins where s already sits, and if those are full, candidates of other schools make
/// room by moving on to bins where *their* school already sits — an augmenting path in the graph of parts
/// (a part is the accessible or the other rooms of a bin) whose arcs are "a school present in both parts
/// moves one candidate". No move opens a piece, no school ever passes a part's per-school limit (so no
/// same-school neighbour is created) and no part passes its seats; every closed piece is one trip fewer.
/// Pieces are tried smallest first, pass after pass; when a pass closes none, schools are regrouped
/// (`TripSearch+Regroup.swift`: taken out and placed again, alone or after moving into a large bin first), and
/// closing starts again, until neither move helps — then again after each of up to `sidewaysRounds` passes of moves
/// that keep the trips (`sidewaysPass`) — or the time limit is reached.
/// Before the search, `repairClasses` moves candidates out of parts where the schools cannot each keep to one
/// class per room; a closing is undone if it makes a part unpackable that way.
struct TripSearch {
  typealias Piece = PlannerState.Piece
  struct Portion {
    var regular = 0
    var accessible = 0
    var count: Int { regular + accessible }
  }

  /// Per school: (part, portion), parts increasing (arrays, not dictionaries: their order is the same on
  /// every run, so the search is deterministic).
  var amount: [[(part: Int, portion: Portion)]]
  /// Per part, its rooms' wide and narrow class sizes; per school, the bins it may reach.
  private var classes: [[(wide: Int, narrow: Int)]]
  let reachable: [[Int]]
  /// Per school, bins it rides to anyway (its separate-room candidates' centre-sessions), increasing.
  var anchors: [[Int]]
  var schoolsIn: [[Int]]
  var free: [Int]
  var limit: [Int]
  /// Breadth-first search marks, per part: visit stamp, and the step that reached it.
  private var stamp: [Int]
  private var currentStamp = 0
  private var parent: [(from: Int, mover: Int, bottleneck: Int)]
  private var queue: [Int] = []
  /// Undo log of the elimination in progress: (school, part, Δregular, Δaccessible).
  var log: [(Int, Int, Int, Int)] = []
  /// Moves kept so far; per bin, the move that last changed it; per school, the count when regrouping it last
  /// failed (`regroupPass` tries it again only once a bin it may reach has changed since).
  var version = 0
  var changedAt: [Int]
  var failedAt: [Int]
  /// Per school, its index in `areas`: the distinct lists of reachable bins (one per district).
  let area: [Int]
  let areas: [[Int]]
  /// Per area, its bins largest per-school limit first, and the prefix sums of those limits (made by
  /// `regroupPass`).
  var byCapacity: [[Int]] = []
  var capacitySums: [[Int]] = []
  /// The search's work so far (bins looked at by `regroup`) and its budget: `timeLimitSeconds` ×
  /// `workPerSecond`, so that the search ends at the same point on every machine (the wall clock is a safety net).
  var work = 0
  var workLimit = Int.max
  /// Bins `regroup` looks at per second on the reference machine (docs/benchmarks.md, session 15).
  static let workPerSecond = 35_000_000.0
  /// Passes of moves that keep the trips (`sidewaysPass`) once closing and regrouping stop, each followed by
  /// closing and regrouping again, while the work budget lasts. City B with one, two, three or four in every search:
  /// 1,336, 1,334, 1,329, 1,327 trips (1,343 with none; docs/benchmarks.md, Rooms, session 36), each pass and the
  /// search after it 0.6–0.9 times the work of the search before the first. A plan packed from a previous plan gets
  /// one (`PlannerState.searchTrips`).
  var sidewaysRounds = Self.defaultSidewaysRounds
  static let defaultSidewaysRounds = 3

  /// - Parameter limited: hold schools to the parts' per-school limits (false: only to their seats).
  init(
    pieces: [[Piece]], parts: [SchoolNetwork.Part], limited: Bool, classes: [[(wide: Int, narrow: Int)]],
    reachable: [[Int]], anchors: [[Int]]
  ) {
    self.classes = classes
    self.reachable = reachable
    var areaOf: [[Int]: Int] = [:]
    var areas: [[Int]] = []
    area = reachable.map { bins in
      if let k = areaOf[bins] { return k }
      areaOf[bins] = areas.count
      areas.append(bins)
      return areas.count - 1
    }
    self.areas = areas
    self.anchors = anchors
    amount = pieces.map { list in
      var d: [(part: Int, portion: Portion)] = []
      for p in list.sorted(by: { $0.part < $1.part }) {
        if d.last?.part == p.part {
          d[d.count - 1].portion.regular += p.regular
          d[d.count - 1].portion.accessible += p.accessible
        } else {
          d.append((p.part, Portion(regular: p.regular, accessible: p.accessible)))
        }
      }
      return d
    }
    schoolsIn = Array(repeating: [], count: parts.count)
    free = parts.map(\.seats)
    limit = parts.map { limited ? $0.schoolSeats : $0.seats }
    stamp = Array(repeating: 0, count: parts.count)
    changedAt = Array(repeating: 0, count: parts.count / 2)
    failedAt = Array(repeating: -1, count: pieces.count)
    parent = Array(repeating: (-1, -1, 0), count: parts.count)
    for (s, list) in amount.enumerated() {
      for (p, portion) in list {
        schoolsIn[p].append(s)
        free[p] -= portion.count
      }
    }
  }

  /// The pieces of every school, parts in increasing order.
  func pieces() -> [[Piece]] {
    amount.map { d in d.map { Piece(part: $0.part, regular: $0.portion.regular, accessible: $0.portion.accessible) } }
  }

  /// Σ over schools of the bins they use.
  var trips: Int { amount.indices.reduce(0) { $0 + binSet($1).count } }

  /// Bins school `s` rides to: where it has candidates, and its anchors.
  func binSet(_ s: Int) -> Set<Int> { Set(amount[s].map { $0.part / 2 }).union(anchors[s]) }

  func count(_ s: Int, _ p: Int) -> Int { Self.portion(in: amount[s], part: p)?.count ?? 0 }
  private func regular(_ s: Int, _ p: Int) -> Int { Self.portion(in: amount[s], part: p)?.regular ?? 0 }

  /// The portion of part `p` in one school's `amount` (parts increasing), by bisection.
  static func portion(in list: [(part: Int, portion: Portion)], part p: Int) -> Portion? {
    let k = firstIndex(in: list, notBelow: p)
    return k < list.count && list[k].part == p ? list[k].portion : nil
  }

  /// The first entry of one school's `amount` (parts increasing) whose part is at least `p` (the count if none).
  static func firstIndex(in list: [(part: Int, portion: Portion)], notBelow p: Int) -> Int {
    var low = 0
    var high = list.count
    while low < high {
      let mid = (low + high) / 2
      if list[mid].part < p { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// The count in part `p` of one school's `amount` (parts increasing), where `p` is entry `k`'s part or its
  /// sibling (the bin's other part): entry `k` or the one beside it.
  static func count(in list: [(part: Int, portion: Portion)], besides k: Int, part p: Int) -> Int {
    let j = p == list[k].part ? k : p < list[k].part ? k - 1 : k + 1
    return list.indices.contains(j) && list[j].part == p ? list[j].portion.count : 0
  }

  /// Closes pieces and regroups schools until neither lowers the trips or `timeLimitSeconds` is spent.
  /// - Parameter workLimit: the work budget, if not the time limit's (`workPerSecond`).
  mutating func run(timeLimitSeconds: Double, workLimit: Int? = nil) -> SearchReport {
    let clock = ContinuousClock()
    let start = clock.now
    let budget = Duration.milliseconds(Int64(max(0, timeLimitSeconds) * 1000))
    var report = SearchReport()
    self.workLimit = workLimit ?? Int(min(Double(Int.max / 2), max(0, timeLimitSeconds) * Self.workPerSecond))
    report.classRepairs = repairClasses()
    report.tripsBefore = trips
    var sidewaysDone = 0
    search: while true {
      report.passes += 1
      var list: [(count: Int, school: Int, bin: Int)] = []
      for (s, d) in amount.enumerated() {
        var perBin: [Int: Int] = [:]
        for (p, portion) in d { perBin[p / 2, default: 0] += portion.count }  // order-free: sorted below
        guard binSet(s).count > 1 else { continue }
        for (b, n) in perBin where !anchors[s].contains(b) { list.append((n, s, b)) }
      }
      list.sort { ($0.count, $0.school, $0.bin) < ($1.count, $1.school, $1.bin) }
      var closed = 0
      for (k, item) in list.enumerated() {
        if k % 16 == 0 && clock.now - start > budget {
          report.stoppedByTimeLimit = true
          report.stoppedByClock = true
          break search
        }
        let bins = binSet(item.school)
        guard bins.count > 1, amount[item.school].contains(where: { $0.part / 2 == item.bin }) else { continue }
        if close(school: item.school, bin: item.bin) {
          closed += 1
          commit()
        }
      }
      if closed > 0 { continue }
      guard let regrouped = regroupPass(outOfTime: { clock.now - start > budget }) else {
        report.stoppedByTimeLimit = true
        report.stoppedByClock = work < self.workLimit
        break
      }
      report.regroupedSchools += regrouped
      if regrouped == 0 {
        guard sidewaysDone < sidewaysRounds, work < self.workLimit else { break }
        sidewaysDone += 1
        report.sidewaysMoves += sidewaysPass(round: sidewaysDone)
      }
    }
    report.tripsAfter = trips
    report.work = work
    report.unpackableParts = schoolsIn.indices.filter { !schoolsIn[$0].isEmpty && !packable($0) }.count
    let elapsed = clock.now - start
    report.seconds = elapsed.inSeconds
    return report
  }

  /// Whether school `s` has candidates in bin `b`.
  func sits(_ s: Int, inBin b: Int) -> Bool { amount[s].contains { $0.part / 2 == b } }

  /// Bins where school `s` has candidates, in increasing order.
  func bins(of s: Int) -> [Int] { Array(Set(amount[s].map { $0.part / 2 })).sorted() }

  /// A separate-room candidate of school `s` moved from bin `old` to bin `new`.
  mutating func moveAnchor(school s: Int, from old: Int, to new: Int) {
    if let k = anchors[s].firstIndex(of: old) { anchors[s].remove(at: k) }
    anchors[s].append(new)
    anchors[s].sort()
  }

  /// Takes a room (`seats` usable seats, its class sizes) out of part `p` for a separate-room candidate, if
  /// the part's candidates still fit, within the per-school limits and one class per school and room.
  mutating func removeRoom(part p: Int, seats: Int, classes room: (wide: Int, narrow: Int)) -> Bool {
    guard free[p] >= seats, let k = classes[p].firstIndex(where: { $0 == room }),
      schoolsIn[p].allSatisfy({ count($0, p) <= limit[p] - room.wide })
    else { return false }
    classes[p].remove(at: k)
    guard packable(p) else {
      classes[p].insert(room, at: k)
      return false
    }
    limit[p] -= room.wide
    free[p] -= seats
    return true
  }

  /// Gives a room back to part `p` (a separate-room candidate left it).
  mutating func addRoom(part p: Int, seats: Int, classes room: (wide: Int, narrow: Int)) {
    classes[p].append(room)
    limit[p] += room.wide
    free[p] += seats
  }

  /// Moves candidates out of parts whose schools cannot each keep to one class per room (`ClassSlots`): to
  /// bins where their school already sits, else to any bin it may reach (one trip more, but no neighbours).
  /// Returns how many candidates moved.
  mutating func repairClasses() -> Int {
    var moved = 0
    for _ in 0..<4 {
      var changed = false
      for p in schoolsIn.indices where !schoolsIn[p].isEmpty {
        let groups = schoolsIn[p].map { (school: $0, count: count($0, p)) }
        for (s, n) in ClassSlots.pack(classes: classes[p], groups: groups).leftover {
          if evict(school: s, part: p, amount: n) {
            commit()
            moved += n
            changed = true
          }
        }
      }
      if !changed { break }
    }
    return moved
  }

  /// Moves `n` candidates of school `s` out of part `p` (others may enter it); undoes it all if it cannot.
  private mutating func evict(school s: Int, part p: Int, amount n: Int) -> Bool {
    log.removeAll(keepingCapacity: true)
    let regularOut = min(n, regular(s, p))
    let accessibleOut = n - regularOut
    change(s, p, regular: -regularOut, accessible: -accessibleOut)
    for (accessible, count) in [(true, accessibleOut), (false, regularOut)] {
      var left = count
      while left > 0 {
        guard
          let pushed = augment(school: s, accessible: accessible, amount: left, excluded: p)
            ?? augment(school: s, accessible: accessible, amount: left, excluded: p, anywhere: true)
        else {
          for (t, q, r, a) in log.reversed() { change(t, q, regular: -r, accessible: -a, logged: false) }
          return false
        }
        left -= pushed
      }
    }
    return true
  }

  mutating func change(_ s: Int, _ p: Int, regular: Int, accessible: Int, logged: Bool = true) {
    guard regular != 0 || accessible != 0 else { return }
    free[p] -= regular + accessible
    if logged { log.append((s, p, regular, accessible)) }
    let k = Self.firstIndex(in: amount[s], notBelow: p)
    guard k < amount[s].count, amount[s][k].part == p else {
      amount[s].insert((p, Portion(regular: regular, accessible: accessible)), at: k)
      schoolsIn[p].append(s)
      return
    }
    amount[s][k].portion.regular += regular
    amount[s][k].portion.accessible += accessible
    if amount[s][k].portion.count == 0 {
      amount[s].remove(at: k)
      schoolsIn[p].removeAll { $0 == s }
    }
  }

  /// Moves every candidate of school `s` out of bin `b`; undoes everything and returns false if it cannot.
  private mutating func close(school s: Int, bin b: Int) -> Bool {
    log.removeAll(keepingCapacity: true)
    let moving = [2 * b, 2 * b + 1].map { p in amount[s].first { $0.part == p }?.portion ?? Portion() }
    // Quick test: the school's room in its other bins.
    var room = 0
    var accessibleRoom = 0
    for bin in binSet(s).sorted() where bin != b {
      for q in [2 * bin, 2 * bin + 1] {
        let r = max(0, limit[q] - count(s, q))
        room += r
        if q & 1 == 1 { accessibleRoom += r }
      }
    }
    let accessibleCount = moving[1].accessible
    let total = moving[0].count + moving[1].count
    guard room >= total, accessibleRoom >= accessibleCount else { return false }
    change(s, 2 * b, regular: -moving[0].regular, accessible: 0)
    change(s, 2 * b + 1, regular: -moving[1].regular, accessible: -moving[1].accessible)
    for (accessible, count) in [(true, accessibleCount), (false, total - accessibleCount)] {
      var left = count
      while left > 0 {
        guard let pushed = augment(school: s, accessible: accessible, amount: left) else {
          for (t, p, r, a) in log.reversed() { change(t, p, regular: -r, accessible: -a, logged: false) }
          return false
        }
        left -= pushed
      }
    }
    // Keep every part that took candidates packable one class per school and room.
    for p in Set(log.filter { $0.2 + $0.3 > 0 }.map(\.1)) where !packable(p) {
      for (t, q, r, a) in log.reversed() { change(t, q, regular: -r, accessible: -a, logged: false) }
      return false
    }
    return true
  }

  func packable(_ p: Int) -> Bool {
    ClassSlots.pack(classes: classes[p], groups: schoolsIn[p].map { (school: $0, count: count($0, p)) }).leftover
      .isEmpty
  }

  /// Finds a shortest chain of moves that seats up to `amount` more candidates of school `s` (accessible-seat
  /// ones when `accessible`) in parts of bins where it sits (`anywhere`: of any bin it may reach), never in part
  /// `excluded`, applies it and returns how many it seated.
  private mutating func augment(
    school s: Int, accessible: Bool, amount wanted: Int, excluded: Int = -1,
    anywhere: Bool = false
  ) -> Int? {
    currentStamp += 1
    queue.removeAll(keepingCapacity: true)
    func visit(_ q: Int, _ step: (from: Int, mover: Int, bottleneck: Int)) {
      stamp[q] = currentStamp
      parent[q] = step
      queue.append(q)
    }
    for p in anywhere ? reachable[s].map({ 2 * $0 }) : amount[s].map(\.part) + anchors[s].map({ 2 * $0 }) {
      for q in [p & ~1, p | 1] where q != excluded && stamp[q] != currentStamp && (!accessible || q & 1 == 1) {
        let room = limit[q] - count(s, q)
        guard room > 0 else { continue }
        visit(q, (-1, s, min(wanted, room)))
      }
    }
    var head = 0
    while head < queue.count {
      let q = queue[head]
      head += 1
      let here = parent[q]
      if free[q] > 0 {
        let push = min(here.bottleneck, free[q])
        var node = q
        while true {
          let step = parent[node]
          if step.from < 0 {
            change(s, node, regular: accessible ? 0 : push, accessible: accessible ? push : 0)
            break
          }
          change(step.mover, step.from, regular: -push, accessible: 0)
          change(step.mover, node, regular: push, accessible: 0)
          node = step.from
        }
        return push
      }
      for t in schoolsIn[q] where t != s {
        // The search's innermost loop (a fifth of `exam allocate`'s samples at 100,000 candidates while it searched
        // linearly): school t's parts are sorted, so a part's sibling is the entry beside it.
        let list = amount[t]
        let out = Self.portion(in: list, part: q)?.regular ?? 0
        guard out > 0 else { continue }
        for k in list.indices {
          let p = list[k].part
          for q2 in p & ~1...(p | 1) where q2 != q && stamp[q2] != currentStamp {
            let room = limit[q2] - Self.count(in: list, besides: k, part: q2)
            guard room > 0 else { continue }
            visit(q2, (q, t, min(here.bottleneck, out, room)))
          }
        }
      }
    }
    return nil
  }
}

/// What the bus-trip search did (shown with the plan's quality report).
public struct SearchReport: Sendable, Equatable, Codable {
  public var tripsBefore = 0
  public var tripsAfter = 0
  public var passes = 0
  public var seconds = 0.0
  /// True when the search's budget (`--time-limit`) ended it before neither move helped. The budget is counted in
  /// work (bins looked at, `TripSearch.workPerSecond` per second of the limit), so such a plan still depends on
  /// the seed only — unless `stoppedByClock`.
  public var stoppedByTimeLimit = false
  /// True when the wall clock, not the work budget, ended the search (a slower machine, or the closing passes):
  /// the plan may then differ between machines; give a larger `--time-limit` for a plan that depends on the seed
  /// only.
  public var stoppedByClock = false
  /// Bins the regrouping looked at (`TripSearch.work`).
  public var work = 0
  /// Rounds of the master program that guided this plan's packing (`PlannerState.masterSolution`); 0 when the
  /// plan was packed without it.
  public var guideRounds = 0
  /// Candidates moved so that every school keeps to one no-neighbour class per room (`TripSearch.repairClasses`).
  public var classRepairs = 0
  /// Separate-room candidates moved into a centre-session where their school sits (`moveSeparateRooms`).
  public var separateRoomsMoved = 0
  /// The round of planning whose plan was kept (`PlannerState.run`): 1 for the first plan, 2–4 for a later one,
  /// planned again after giving separate-room candidates rooms where their schools went (`reanchorSeparateRooms`).
  public var separateRoomRounds = 1
  /// True when the kept plan is the first one and its separate-room candidates' rooms came from a dry run (a plan
  /// with them as ordinary candidates holding their rooms' seats, `placeSeparateRoomsAfterDryRun`, or, up to
  /// 20,000 candidates, one giving them rooms while packing, `placeSeparateRoomsWhilePacking`), not from the
  /// smallest rooms they may use.
  public var separateRoomsAfterDryRun = false
  /// Parts (a centre-session's accessible or other rooms) whose schools could not be made to keep to one class
  /// per room; a school is then split over both classes of a room, which may leave same-school neighbours.
  public var unpackableParts = 0
  /// True when no placement kept every school within the no-neighbour limits (then pairs are unavoidable
  /// given the separate rooms chosen).
  public var limitsLifted = false
  /// Packings tried (school orders perturbed by the seed; more for small cities), the best kept.
  public var restarts = 1
  /// Schools taken out and placed again in fewer bins at once (`TripSearch.regroup`).
  public var regroupedSchools = 0
  /// Ejections that kept the trips as they were, made where no move lowered them (`TripSearch.sidewaysPass`).
  public var sidewaysMoves = 0
  /// Candidates moved or swapped across the city to remove same-school neighbours left after seating
  /// (`PlannerState.repairNeighbours`), and the bus trips those moves added (negative: removed); the plan's trips
  /// are `tripsAfter + neighbourTripChange`.
  public var neighbourMoves = 0
  public var neighbourTripChange = 0
  /// Same-school pairs removed by seating a school with more candidates in a room than its independence number
  /// on the room's best seats for its count, the others around it (`PlannerState.seatCrowdedSchoolsBest`).
  public var crowdedSchoolPairsSaved = 0
  /// Same-school pairs removed by annealing the seats of each centre-session that still had some
  /// (`PlannerState.annealNeighbours`).
  public var annealingPairsSaved = 0
  /// Same-school pairs removed by planning again from `RoomPairsProgram`'s counts of each school per room-session
  /// (`PlannerState.planByRoomCounts`); 0 when the plan before was kept.
  public var roomCountsPairsSaved = 0
  /// Bus trips that plan rides fewer than the plan before (negative: more, for fewer pairs), its trips step
  /// (`SeparateRoomsProgram.fewestTrips`) included; 0 when the plan before was kept.
  public var roomCountsTripsSaved = 0
}
