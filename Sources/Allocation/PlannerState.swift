import ExamCore

/// The working state of one `SeatPlanner` run (steps 1–2 here; packing and seating in extensions).
struct PlannerState {
  let problem: PlanningProblem
  var random: SeededGenerator
  /// Room-sessions given to one `separate-room` candidate.
  var exclusive: [Bool]
  /// Final place of each candidate: room-session index and seat index in the room, or -1.
  var roomSessionOf: [Int]
  var seatOf: [Int]
  var separateShortages: [SeatShortage] = []
  /// The uniform fill chosen in step 2 (0…1).
  var fill = 1.0
  /// How far past the even fill (fraction of usable seats) a centre-session may be filled to keep schools in
  /// fewer trips: the trade between "schools in few centres and sessions" and "rooms filled evenly".
  var wholeSchoolSlack = SeatPlanner.defaultWholeSchoolSlack
  /// Wall-clock budget of the bus-trip search (step 3b), and what the search did.
  var timeLimitSeconds = SeatPlanner.defaultTimeLimitSeconds
  var search = SearchReport()
  /// Limits of the exact step (`SeatPlanner.exact`), nil to skip it; what it found.
  var exact: ExactLimits?
  var exactReport: ExactTripsReport?
  /// The same-school pairs bound of `SeparateRoomsProgram`, where the planner solved it (`planByRoomCounts`).
  var separateRoomsPairsBound: Int?
  /// Rounds of planning at most (`SeatPlanner.planningRounds`; nil: up to 4, by the work they take; 1: one plan
  /// with the separate rooms first given, no dry run), and the work of every bus-trip search so far
  /// (`TripSearch.work`).
  var planningRounds: Int?
  /// Rounds of the master program guiding a second plan (`SeatPlanner.guideRounds`), and its work at most
  /// (`TripMaster.Work`; a budget of its own, beside the searches').
  var guideRounds = 0
  var guideWork = Int.max
  var searchWork = 0
  /// The work of the searches made on this core so far (a `fork` starts at 0): each core's searches together stay
  /// within `laneBudget`, so that `--time-limit` bounds the wall time of the whole search step.
  var laneWork = 0
  /// Per school, seats its packing holds beside its candidates (empty: none): in the dry run, the rooms its
  /// separate-room candidates will take, less their own seats (`placeSeparateRoomsAfterDryRun`).
  var ghostSeats: [Int] = []
  /// In the dry run (`placeSeparateRoomsWhilePacking`): `packSchools(anchors:)` gives the separate-room candidates
  /// their rooms where it packs their schools.
  var roomsWhilePacking = false
  var laneBudget: Int { Int(min(Double(Int.max / 4), max(0, timeLimitSeconds) * TripSearch.workPerSecond)) }

  init(problem: PlanningProblem, seed: UInt64) {
    self.problem = problem
    random = SeededGenerator(seed: seed)
    let roomSessions = problem.sessions.count * problem.roomCount
    exclusive = Array(repeating: false, count: roomSessions)
    roomSessionOf = Array(repeating: -1, count: problem.candidates.count)
    seatOf = Array(repeating: -1, count: problem.candidates.count)
  }

  /// Runs every step; returns the shortages (and plans nothing) when seats are short.
  mutating func run() -> [SeatShortage] {
    let shortages = placeSeparateRoomsFeasibly()
    guard shortages.isEmpty else { return shortages }
    // Separate-room candidates first get the smallest rooms they may use (feasible by construction), before any
    // school is placed. Where their schools then go elsewhere that costs trips, and rooms where the schools go do
    // better: plan once with each separate-room candidate an ordinary candidate of its school holding the seats its
    // room will take (a dry run), give each a room where its school went (`placeSeparateRooms(_:after:)`), and plan
    // again from the dry run's plan less what the rooms took (`packSchools(from:)`). Each core makes a dry run
    // and the plan from it, with its own random stream (so the plan depends on the inputs and the seed only), the
    // second from schools packed in a perturbed order (`dryRunJitter`: at 100,000 candidates, with one packing
    // per dry run, the two were otherwise the same plan); up to `whilePackingCandidates` the first core then makes
    // a third, giving the rooms while packing (`placeSeparateRoomsWhilePacking`). The plan with the smallest rooms
    // first is made only when no dry run seats everyone.
    chooseFill()
    var dryRuns: [DryRun] = []
    if dryRunsOnBothCores {
      let other = Pending { [start = fork()] in
        var state = start
        return state.dryRunPlans(jitter: Self.dryRunJitter)
      }
      var state = fork()
      let own = state.dryRunPlans()
      laneWork += own.work
      dryRuns = [own]
      if problem.candidates.count <= Self.whilePackingCandidates {
        var third = fork()
        third.laneWork = laneWork
        let whilePacking = third.dryRunPlans(whilePacking: true)
        laneWork += whilePacking.work
        dryRuns.append(whilePacking)
      }
      dryRuns.insert(other.value, at: 1)
    }
    // The plans from scratch with a dry run's rooms, and the later rounds below, while the searches' work stays
    // within half the search's budget (`--time-limit`): counted in work, so the plan still depends on the inputs
    // and the seed only. (At 100,000 candidates of city B the two dry runs and the plans from them take that
    // budget, and `exam allocate` stays within 2 s.)
    let budget = timeLimitSeconds * TripSearch.workPerSecond / 2
    var fromDryRuns: Plan?
    var rooms: (separateRooms: (exclusive: [Bool], roomSessionOf: [Int], seatOf: [Int]), fill: Double)?
    searchWork += dryRuns.reduce(0) { $0 + $1.work }
    for dry in dryRuns {
      var plans = dry.fromDryRun.map { [$0] } ?? []
      if !plans.isEmpty && Double(searchWork) < budget {
        var state = dry.state
        state.laneWork = laneWork
        plans.append(state.searchTrips(anchors: state.separateRoomBins()))
        searchWork += state.searchWork - dry.state.searchWork
        laneWork = state.laneWork
      }
      for case .success(let found) in plans where found.trips.trips < fromDryRuns?.trips.trips ?? .max {
        rooms = (dry.state.separateRooms, dry.state.fill)
        fromDryRuns = found
      }
    }
    let informed = rooms != nil
    if let rooms { (separateRooms, fill) = rooms }
    var best: Plan
    if let fromDryRuns {
      best = fromDryRuns
    } else {
      switch searchTrips(anchors: separateRoomBins(), guided: true) {
      case .failure(let shortages): return shortages.list
      case .success(let found): best = found
      }
    }
    // Later rounds, each kept when it saves trips: rooms by the two rules of `reanchorSeparateRooms` in turn.
    for round in stride(from: 2, through: planningRounds ?? 4, by: 1) where Double(searchWork) < budget {
      let kept = (separateRooms, fill)
      guard reanchorSeparateRooms(after: best.trips, rule: round % 2 == 0 ? .spare : .riders),
        let found = planAgain(beating: best, else: kept)
      else { continue }
      best = found
      best.report.separateRoomRounds = round
    }
    let packing = best.packing
    var trips = best.trips
    search = best.report
    search.separateRoomsAfterDryRun = informed && best.report.separateRoomRounds == 1
    if let exact { exactReport = solveTripsExactly(&trips, limits: exact) }
    search.separateRoomsMoved = moveSeparateRooms(&trips)
    search.limitsLifted = packing.limitsLifted
    search.tripsAfter = trips.trips
    seatParts(trips.pieces())
    improveRooms()
    search.crowdedSchoolPairsSaved = seatCrowdedSchoolsBest()
    let repair = repairNeighbours()
    search.neighbourMoves = repair.moves
    search.neighbourTripChange = repair.tripChange
    if repair.moves > 0 { search.crowdedSchoolPairsSaved += seatCrowdedSchoolsBest() }
    if repair.pairsLeft {
      search.annealingPairsSaved = annealNeighbours()
      (search.roomCountsPairsSaved, search.roomCountsTripsSaved) = planByRoomCounts()
    }
    return []
  }

  struct Shortages: Error { var list: [SeatShortage] }

  /// Whether `run` makes a dry run on each core (for separate-room candidates), keeping both busy.
  var dryRunsOnBothCores: Bool { planningRounds != 1 && hasSeparateRoomCandidates }

  var hasSeparateRoomCandidates: Bool { problem.candidates.contains { $0.accommodations.contains(.separateRoom) } }

  /// The state after the dry run (`placeSeparateRoomsAfterDryRun`): when it gave the separate-room candidates
  /// rooms, the plan made from its plan (`packSchools(from:)`); the work of both.
  struct DryRun: Sendable {
    var state: PlannerState
    var fromDryRun: Result<Plan, Shortages>?
    var work: Int

    init(state: PlannerState, fromDryRun: Result<Plan, Shortages>? = nil, work: Int? = nil) {
      self.state = state
      self.fromDryRun = fromDryRun
      self.work = work ?? state.searchWork
    }
  }

  /// The share by which the second core's dry run perturbs the order in which its first packing takes the schools
  /// (`packSchools(anchors:jitter:)`, as restarts do). On the 50-city sweep (docs/benchmarks.md, session 26) it
  /// saved trips on 8 cities (city B-7 1,414 → 1,405) and cost some on 2.
  static let dryRunJitter = 0.25

  /// Up to this many candidates a third dry run, after the first on its core, gives the separate-room candidates
  /// the smallest rooms of the first centre-session their school is packed into (`placeSeparateRoomsWhilePacking`):
  /// where a small centre-session holds the school and its room, the held seats of the other dry runs (a median
  /// room beside the school's candidates) may not fit. On the 50-city sweep (docs/benchmarks.md, session 26) it
  /// found the optimum of city Bw-18 (51 → 48 trips); as the second core's dry run at every size it lost more on
  /// the large cities than the perturbed order gains.
  static let whilePackingCandidates = 20_000

  /// The dry run (`placeSeparateRoomsAfterDryRun`) and the plan packed from its plan (`packSchools(from:)`).
  /// - Parameter jitter: the first packing's perturbation (`packSchools(anchors:jitter:)`).
  /// - Parameter whilePacking: the dry run gives the rooms while packing (`placeSeparateRoomsWhilePacking`).
  mutating func dryRunPlans(jitter: Double = 0, whilePacking: Bool = false) -> DryRun {
    guard
      let dry = whilePacking
        ? placeSeparateRoomsWhilePacking(jitter: jitter) : placeSeparateRoomsAfterDryRun(jitter: jitter)
    else { return DryRun(state: self) }
    chooseFill()
    var warm = fork()
    warm.laneWork = laneWork
    var plan = warm.searchTrips(anchors: warm.separateRoomBins(), from: dry.pieces)
    if case .success(var found) = plan {
      found.report.guideRounds = dry.guideRounds
      plan = .success(found)
    }
    return DryRun(state: self, fromDryRun: plan, work: searchWork + warm.searchWork)
  }

  /// A copy of this state for work on another core: its own random stream (drawn from this one), no search work.
  mutating func fork() -> PlannerState {
    var copy = self
    copy.random = SeededGenerator(seed: random.next())
    copy.searchWork = 0
    copy.laneWork = 0
    return copy
  }

  /// A packing, the bus-trip search from it, and its report.
  typealias Plan = (packing: Packing, trips: TripSearch, report: SearchReport)

  /// Where the separate-room candidates sit: the rooms kept from others, every candidate's room-session and seat
  /// (only theirs are set before seating) — saved and restored around a round of planning that may not be kept.
  var separateRooms: (exclusive: [Bool], roomSessionOf: [Int], seatOf: [Int]) {
    get { (exclusive, roomSessionOf, seatOf) }
    set { (exclusive, roomSessionOf, seatOf) = newValue }
  }

  /// Plans with the separate rooms as they now are; the plan when it has fewer trips than `best`, else nil with
  /// the separate rooms and fill put back to `kept`.
  mutating func planAgain(
    beating best: Plan, else kept: (rooms: (exclusive: [Bool], roomSessionOf: [Int], seatOf: [Int]), fill: Double)
  ) -> Plan? {
    chooseFill()
    if case .success(let found) = searchTrips(anchors: separateRoomBins()), found.trips.trips < best.trips.trips {
      return found
    }
    (separateRooms, fill) = kept
    return nil
  }

  /// Plans once with the separate-room candidates as ordinary candidates of their schools, each school holding
  /// beside them the seats their rooms will take (`separateRoomGhosts`; without those when `ghosts` is false or
  /// they leave a district short), then gives each a room where its school went (`placeSeparateRooms(_:after:)`);
  /// returns the dry run's pieces less what the schools gave up for the rooms, and the rounds that guided the dry
  /// run's plan (0: none). Returns nil, and leaves the rooms they had and the fill, when that does not seat them all
  /// or leaves a district short. `jitter`: the dry run's first packing's perturbation (`searchTrips`).
  mutating func placeSeparateRoomsAfterDryRun(ghosts: Bool = true, jitter: Double = 0) -> (
    pieces: [[Piece]], guideRounds: Int
  )? {
    let separate = problem.candidates.indices.filter { needs($0, .separateRoom) }
    guard !separate.isEmpty else { return nil }
    let saved = (separateRooms, fill)
    _ = unroomSeparateCandidates()
    chooseFill()
    ghostSeats = ghosts ? separateRoomGhosts(separate) : []
    defer { ghostSeats = [] }
    var dry = dryRunSearch(jitter: jitter)
    if case .failure = dry, !ghostSeats.isEmpty {
      ghostSeats = []
      dry = dryRunSearch(jitter: jitter)
    }
    guard case .success(let dry) = dry, let pieces = placeSeparateRooms(separate, after: dry.trips) else {
      (separateRooms, fill) = saved
      return nil
    }
    return (pieces, dry.report.guideRounds)
  }

  /// Plans once with each school's separate-room candidates given rooms where the packing puts the school
  /// (`roomsWhilePacking`), and searches with the schools kept there; returns that plan's pieces and the rounds
  /// that guided it (0: none). Returns nil, and leaves the rooms they had and the fill, when that does not seat them
  /// all or leaves a district short.
  mutating func placeSeparateRoomsWhilePacking(jitter: Double = 0) -> (pieces: [[Piece]], guideRounds: Int)? {
    guard hasSeparateRoomCandidates else { return nil }
    let saved = (separateRooms, fill)
    _ = unroomSeparateCandidates()
    chooseFill()
    roomsWhilePacking = true
    // The packing gives the rooms, and the search then keeps each school where its rooms are.
    let dry = dryRunSearch(jitter: jitter)
    roomsWhilePacking = false
    guard case .success(let dry) = dry, capacityShortages().isEmpty else {
      (separateRooms, fill) = saved
      return nil
    }
    return (dry.trips.pieces(), dry.report.guideRounds)
  }

  /// The dry runs' search from scratch: no anchors, at most half the core's budget (the plan from it gets the
  /// rest), guided. Where the search needs its whole budget (city B-39 of the 50-city sweep, 100,000 candidates),
  /// a dry run that searches further hands the plan after it a better start: half rather than a quarter, 1,391 →
  /// 1,382 trips and no slower; the sweep's other cities of 10,000 and more the same (docs/benchmarks.md, Rooms,
  /// session 34). Three quarters: the same; all of it: 1,412.
  private mutating func dryRunSearch(jitter: Double) -> Result<Plan, Shortages> {
    searchTrips(
      anchors: Array(repeating: [], count: problem.schoolNames.count), upTo: laneBudget / 2, guided: true,
      jitter: jitter)
  }

  /// Packs the schools and runs the bus-trip search from `anchors` (restarts with the schools in a perturbed
  /// order; how many depends on the size only, for determinism); the best of them, or the packing's shortages.
  /// The searches together take what is left of this core's `laneBudget`, or until its work reaches `cap`.
  /// - Parameter guided: then also the plan packed from the master program started from the best of those
  ///   (`masterSolution`, `packSchools(guide:)`) and its search, with the budget of one restart.
  /// - Parameter jitter: the first packing's perturbation (the restarts after it take 0.25).
  mutating func searchTrips(
    anchors: [[Int]], from previous: [[Piece]]? = nil, upTo cap: Int? = nil, guided: Bool = false,
    jitter: Double = 0
  ) -> Result<Plan, Shortages> {
    let restarts = previous != nil ? 1 : max(1, min(8, 50_000 / max(1, problem.candidates.count)))
    let work = max(0, min(cap ?? laneBudget, laneBudget) - laneWork)
    var best: Plan?
    var anchors = anchors
    var bestRooms = separateRooms
    for restart in 0..<restarts {
      let packing =
        previous.map { packSchools(from: $0) } ?? packSchools(anchors: anchors, jitter: restart == 0 ? jitter : 0.25)
      guard packing.shortages.isEmpty else { return .failure(Shortages(list: packing.shortages)) }
      // A plan packed from a previous one starts near that plan's trips: one sideways pass there (the dry runs'
      // three, then one in the plans from them: city B 1,329 trips, as with three in both, for a third less work).
      let plan = search(
        packing, anchors: roomsWhilePacking ? separateRoomBins() : anchors, restarts: restarts, work: work,
        sidewaysRounds: previous == nil ? TripSearch.defaultSidewaysRounds : 1)
      if best == nil || plan.trips.trips < best!.trips.trips {
        best = plan
        bestRooms = separateRooms
      }
    }
    if roomsWhilePacking {
      separateRooms = bestRooms
      anchors = separateRoomBins()
    }
    if guided && guideRounds > 0 && previous == nil, let first = best {
      let master = masterSolution(from: first.trips.pieces())
      let packing = packSchools(guide: master.mixes)
      if packing.shortages.isEmpty {
        var plan = search(packing, anchors: anchors, restarts: restarts, work: work)
        plan.report.guideRounds = master.rounds
        if plan.trips.trips < first.trips.trips { best = plan }
      }
    }
    return .success(best!)
  }

  /// The bus-trip search from `packing`, with one restart's share of the time limit and of `work`.
  private mutating func search(
    _ packing: Packing, anchors: [[Int]], restarts: Int, work: Int,
    sidewaysRounds: Int = TripSearch.defaultSidewaysRounds
  ) -> Plan {
    var trips = TripSearch(
      pieces: packing.pieces, parts: packing.parts, limited: true, classes: partClasses(),
      reachable: reachableBins(), anchors: anchors)
    trips.sidewaysRounds = sidewaysRounds
    var report = trips.run(timeLimitSeconds: timeLimitSeconds / Double(restarts), workLimit: work / restarts)
    report.restarts = restarts
    searchWork += report.work
    laneWork += report.work
    return (packing, trips, report)
  }

  func needs(_ i: Int, _ a: Candidate.Accommodation) -> Bool { problem.candidates[i].accommodations.contains(a) }

  // MARK: - Step 1: separate rooms

  /// Places separate-room candidates in their own district first; if that leaves other candidates short of
  /// seats, places them again in the smallest reachable rooms (which keeps the most seats for everyone else).
  /// Returns the shortages that remain.
  mutating func placeSeparateRoomsFeasibly() -> [SeatShortage] {
    placeSeparateRooms(ownDistrictFirst: true)
    var shortages = separateShortages + capacityShortages()
    if !shortages.isEmpty {
      for i in problem.candidates.indices where needs(i, .separateRoom) {
        roomSessionOf[i] = -1
        seatOf[i] = -1
      }
      for rs in exclusive.indices { exclusive[rs] = false }
      placeSeparateRooms(ownDistrictFirst: false)
      shortages = separateShortages + capacityShortages()
    }
    return shortages
  }

  /// Gives each `separate-room` candidate a room-session of their own: the smallest reachable one, own
  /// district first when `ownDistrictFirst`.
  mutating func placeSeparateRooms(ownDistrictFirst: Bool) {
    var short: [Int: (needed: Int, short: Int)] = [:]
    for i in problem.candidates.indices where needs(i, .separateRoom) {
      let d = problem.candidateDistrict[i]
      let accessible = needs(i, .accessibleSeat)
      var best: (key: (Int, Int, Int), roomSession: Int)?
      for c in 0..<problem.centreCount where problem.reachable(district: d, centre: c) {
        let away = problem.centreDistrict[c] == d ? 0 : 1
        for r in problem.centreRooms[c] {
          let info = problem.rooms[r]
          guard !info.usable.isEmpty, !accessible || info.room.accessible else { continue }
          for s in problem.sessions.indices {
            let rs = problem.roomSession(session: s, room: r)
            guard !exclusive[rs] else { continue }
            let key = ownDistrictFirst ? (away, info.usable.count, rs) : (info.usable.count, away, rs)
            if best == nil || key < best!.key { best = (key, rs) }
          }
        }
      }
      short[d, default: (0, 0)].needed += 1
      guard let best else {
        short[d]!.short += 1
        continue
      }
      exclusive[best.roomSession] = true
      roomSessionOf[i] = best.roomSession
      let info = problem.rooms[best.roomSession % problem.roomCount]
      seatOf[i] = info.usable[info.usable.count / 2]
    }
    separateShortages = short.keys.sorted().compactMap { d in
      let v = short[d]!
      return v.short > 0
        ? SeatShortage(district: problem.districtNames[d], kind: .separateRooms, needed: v.needed, short: v.short) : nil
    }
  }

  // MARK: - Step 2: flow and fill

  /// Candidates still to place (not in a separate room), per district, and those needing accessible seats.
  func demand() -> (all: [Int], accessible: [Int]) {
    var all = Array(repeating: 0, count: problem.districtNames.count)
    var accessible = all
    for i in problem.candidates.indices where roomSessionOf[i] < 0 {
      all[problem.candidateDistrict[i]] += 1
      if needs(i, .accessibleSeat) { accessible[problem.candidateDistrict[i]] += 1 }
    }
    return (all, accessible)
  }

  /// Seats of each centre over all sessions at fill `f` (only accessible rooms when `accessibleOnly`).
  func centreCapacity(fill f: Double, accessibleOnly: Bool) -> [Int] {
    var capacity = Array(repeating: 0, count: problem.centreCount)
    for s in problem.sessions.indices {
      for (r, info) in problem.rooms.enumerated() where !accessibleOnly || info.room.accessible {
        let rs = problem.roomSession(session: s, room: r)
        if !exclusive[rs] { capacity[info.centre] += Self.target(usable: info.usable.count, fill: f) }
      }
    }
    return capacity
  }

  static func target(usable: Int, fill: Double) -> Int {
    min(usable, Int((Double(usable) * fill - 1e-9).rounded(.up)))
  }

  /// Candidates of each district a max flow districts → centres seats within `capacity` (own centres first).
  func flow(demand: [Int], capacity: [Int]) -> [Int] {
    let districts = problem.districtNames.count
    let source = 0
    let sink = districts + problem.centreCount + 1
    var graph = MaxFlow(nodeCount: sink + 1)
    var sourceEdges: [Int] = []
    for d in 0..<districts { sourceEdges.append(graph.addEdge(from: source, to: 1 + d, capacity: demand[d])) }
    for c in 0..<problem.centreCount { graph.addEdge(from: 1 + districts + c, to: sink, capacity: capacity[c]) }
    for own in [true, false] {  // own district first, so a shortage is charged to the district that has it
      for d in 0..<districts where demand[d] > 0 {
        for c in 0..<problem.centreCount where problem.reachable(district: d, centre: c) {
          guard (problem.centreDistrict[c] == d) == own else { continue }
          graph.addEdge(from: 1 + d, to: 1 + districts + c, capacity: demand[d])
        }
      }
      _ = graph.augment(source: source, sink: sink)
    }
    return sourceEdges.map { graph.flow(of: $0) }
  }

  /// The districts that cannot all be seated even with every usable seat (accessible rooms checked too).
  func capacityShortages() -> [SeatShortage] {
    let (all, accessible) = demand()
    var shortages: [SeatShortage] = []
    for (kind, need, onlyAccessible) in [(SeatShortage.Kind.seats, all, false), (.accessibleSeats, accessible, true)] {
      let placed = flow(demand: need, capacity: centreCapacity(fill: 1, accessibleOnly: onlyAccessible))
      for d in need.indices where placed[d] < need[d] {
        shortages.append(
          SeatShortage(district: problem.districtNames[d], kind: kind, needed: need[d], short: need[d] - placed[d]))
      }
    }
    return shortages
  }

  /// Bisects the lowest uniform fill at which everyone still fits (packing may pass it by `wholeSchoolSlack`).
  mutating func chooseFill() {
    let (all, _) = demand()
    let total = all.reduce(0, +)
    let usable = centreCapacity(fill: 1, accessibleOnly: false).reduce(0, +)
    var low = usable == 0 ? 1 : Double(total) / Double(usable)
    var high = 1.0
    if fits(all, fill: low) { high = low }
    for _ in 0..<14 where high - low > 0.002 {
      let mid = (low + high) / 2
      if fits(all, fill: mid) { high = mid } else { low = mid }
    }
    fill = high
  }

  func fits(_ demand: [Int], fill: Double) -> Bool {
    flow(demand: demand, capacity: centreCapacity(fill: fill, accessibleOnly: false)) == demand
  }
}

extension PlannerState {
  /// The plan as store rows, ordered by session, centre, room, seat row and column.
  func assignments(examId: String) -> [SeatAssignment] {
    var order: [(Int, Int, Int)] = []  // (room-session, seat position key, candidate)
    for i in problem.candidates.indices where roomSessionOf[i] >= 0 { order.append((roomSessionOf[i], seatOf[i], i)) }
    func sortKey(_ e: (Int, Int, Int)) -> (Int, Int, Int, Int) {
      let r = e.0 % problem.roomCount
      let seat = problem.rooms[r].room.seats[e.1]
      return (e.0 / problem.roomCount, r, seat.row * 100_000 + seat.column, e.1)
    }
    order.sort { sortKey($0) < sortKey($1) }
    return order.map { rs, seatIndex, i in
      let s = rs / problem.roomCount
      let info = problem.rooms[rs % problem.roomCount]
      let seat = info.room.seats[seatIndex]
      return SeatAssignment(
        examId: examId, candidateId: problem.candidates[i].id, sessionId: problem.sessions[s].id,
        centreId: problem.centres[info.centre].id, roomId: info.room.id, seatId: seat.id,
        form: PlanChecker.form(row: seat.row, column: seat.column, formCount: problem.formCount))
    }
  }
}
