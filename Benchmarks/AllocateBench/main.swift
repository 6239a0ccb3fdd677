// Usage: bench-allocate CITY_DIR [--seed N] [--slack F] [--time-limit S] [--guide-rounds N] [--store PATH] [--json]
//                       [--district-bound NODES] [--lagrangian-bound ROUNDS]
//                       [--exact NODES [--exact-seconds S]]
// Reads CITY_DIR/roster.csv and CITY_DIR/centres.yaml (Tools/make-city.py), then times:
//   parse   — reading and checking the roster and centres files;
//   plan    — SeatPlanner alone (the allocation the issue's 5 s target is about);
//   command — what `exam allocate` does on a store: read candidates/centres, plan, write the plan and audit.
// Prints the quality report (hard violations, soft counts beside lower bounds) and how many separate-room candidates
// ride without their school (a bus trip each); with --json only the report as
// one JSON line (the keys of `exam allocate --json`, for Tools/sweep-allocate.sh). Run it under
// `/usr/bin/time -v` for peak memory (Tools/bench-allocate.sh does). --district-bound NODES also prints the bus-trip
// bound of one mixed-integer program per district (`PlanChecker.districtTripsBound`, NODES branch-and-bound nodes
// each) beside the per-school bound, and its time; --lagrangian-bound ROUNDS the Lagrangian bound
// (`PlanChecker.lagrangianTripsBound`, at most that many rounds of column generation). --exact NODES runs the
// planner's exact step (CBC, that many nodes, --exact-seconds or 600 s at most); --time-limit the bus-trip search's seconds (default:
// `exam allocate`'s); --guide-rounds the rounds of column generation guiding a second plan (default:
// `exam allocate`'s, 10 up to 60,000 candidates and none above; 0: none).
import Allocation
import ExamCore
import ExamStorage
import Foundation

func seconds(_ start: ContinuousClock.Instant) -> String {
  let d = ContinuousClock.now - start
  let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  return String(format: "%.3f s", s)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var seed: UInt64 = 1
var storePath: String?
var slack = SeatPlanner.defaultWholeSchoolSlack
let json = arguments.contains("--json")
arguments.removeAll { $0 == "--json" }
if let i = arguments.firstIndex(of: "--slack"), i + 1 < arguments.count {
  slack = Double(arguments[i + 1]) ?? slack
  arguments.removeSubrange(i...i + 1)
}
if let i = arguments.firstIndex(of: "--seed"), i + 1 < arguments.count {
  seed = UInt64(arguments[i + 1]) ?? 1
  arguments.removeSubrange(i...i + 1)
}
var districtNodes: Int?
var exactNodes: Int?
var timeLimit = SeatPlanner.defaultTimeLimitSeconds
if let i = arguments.firstIndex(of: "--time-limit"), i + 1 < arguments.count {
  timeLimit = Double(arguments[i + 1]) ?? timeLimit
  arguments.removeSubrange(i...i + 1)
}
var lagrangianRounds: Int?
var guideRounds: Int?
if let i = arguments.firstIndex(of: "--guide-rounds"), i + 1 < arguments.count {
  guideRounds = Int(arguments[i + 1])
  arguments.removeSubrange(i...i + 1)
}
if let i = arguments.firstIndex(of: "--lagrangian-bound"), i + 1 < arguments.count {
  lagrangianRounds = Int(arguments[i + 1])
  arguments.removeSubrange(i...i + 1)
}
var exactSeconds = 600.0
if let i = arguments.firstIndex(of: "--exact-seconds"), i + 1 < arguments.count {
  exactSeconds = Double(arguments[i + 1]) ?? exactSeconds
  arguments.removeSubrange(i...i + 1)
}
if let i = arguments.firstIndex(of: "--exact"), i + 1 < arguments.count {
  exactNodes = Int(arguments[i + 1])
  arguments.removeSubrange(i...i + 1)
}
if let i = arguments.firstIndex(of: "--district-bound"), i + 1 < arguments.count {
  districtNodes = Int(arguments[i + 1])
  arguments.removeSubrange(i...i + 1)
}
if let i = arguments.firstIndex(of: "--store"), i + 1 < arguments.count {
  storePath = arguments[i + 1]
  arguments.removeSubrange(i...i + 1)
}
guard let city = arguments.first else {
  FileHandle.standardError.write("usage: bench-allocate CITY_DIR [--seed N] [--store PATH]\n".data(using: .utf8)!)
  exit(64)
}
do {
  var t = ContinuousClock.now
  let roster = try RosterFile(path: city + "/roster.csv")
  let venues = try VenueFile(path: city + "/centres.yaml")
  guard roster.errors.isEmpty else { throw ExamErrors(roster.errors) }
  if !json {
    print(
      "parse:   \(seconds(t))  (\(roster.candidates.count) candidates, \(venues.centres.count) centres, "
        + "\(venues.centres.reduce(0) { $0 + $1.rooms.count }) rooms, \(venues.sessions.count) sessions)")
  }
  var adjacency: [String: Set<String>] = [:]
  for (a, b) in venues.adjacency {
    adjacency[a, default: []].insert(b)
    adjacency[b, default: []].insert(a)
  }
  t = ContinuousClock.now
  var planner = SeatPlanner(seed: seed, wholeSchoolSlack: slack, timeLimitSeconds: timeLimit)
  planner.guideRounds = guideRounds
  if let exactNodes { planner.exact = ExactLimits(maximumNodes: exactNodes, maximumSeconds: exactSeconds) }
  let plan = try planner.plan(
    examId: "BENCH", candidates: roster.candidates, centres: venues.centres,
    sessions: venues.sessions, adjacency: adjacency, formCount: 2)
  if json {
    print(String(decoding: try JSONEncoder().encode(plan.quality), as: UTF8.self))
    exit(0)
  }
  print("plan:    \(seconds(t))  (SeatPlanner, seed \(seed), slack \(slack), includes the independent plan check)")
  print(String(format: "  even-fill target of the planner: %.1f%%", plan.targetFill * 100))
  let search = plan.search
  print(
    "  bus-trip search: \(search.tripsBefore) → \(search.tripsAfter) trips, \(search.passes) passes, "
      + "\(search.regroupedSchools) regroupings, "
      + String(format: "%.2f s", search.seconds) + ", work \(search.work)"
      + (search.guideRounds > 0 ? ", guided by \(search.guideRounds) rounds of column generation" : "")
      + (search.stoppedByTimeLimit ? ", stopped by the time limit" : "") + (search.stoppedByClock ? " (clock)" : ""))
  for line in plan.quality.reportLines { print("  " + line) }
  // Separate-room candidates whose school has no other candidate in their centre-session: one trip each.
  let schoolOf = Dictionary(uniqueKeysWithValues: roster.candidates.map { ($0.id, $0.school) })
  let separate = Set(roster.candidates.filter { $0.accommodations.contains(.separateRoom) }.map(\.id))
  var others: [String: Int] = [:]
  for a in plan.assignments where !separate.contains(a.candidateId) {
    others[schoolOf[a.candidateId]! + "|" + a.centreId + "|" + a.sessionId, default: 0] += 1
  }
  let alone = plan.assignments.filter {
    separate.contains($0.candidateId)
      && others[schoolOf[$0.candidateId]! + "|" + $0.centreId + "|" + $0.sessionId] == nil
  }
  let aloneTrips = Set(alone.map { schoolOf[$0.candidateId]! + "|" + $0.centreId + "|" + $0.sessionId }).count
  print(
    "  separate-room candidates: \(separate.count), riding without their school: \(alone.count) (\(aloneTrips) trips)")
  if let districtNodes {
    t = ContinuousClock.now
    let bound = PlanChecker(
      candidates: roster.candidates, centres: venues.centres, sessions: venues.sessions, adjacency: adjacency,
      formCount: 2
    ).districtTripsBound(limits: ExactLimits(maximumNodes: districtNodes, maximumSeconds: 120))
    print(
      "district bound: \(seconds(t))  trips ≥ \(bound.bound) (per-school \(bound.perSchoolBound); "
        + "\(bound.provenDistricts) of \(bound.districts) districts solved to optimality)")
  }
  if let lagrangianRounds {
    t = ContinuousClock.now
    let bound = PlanChecker(
      candidates: roster.candidates, centres: venues.centres, sessions: venues.sessions, adjacency: adjacency,
      formCount: 2
    ).lagrangianTripsBound(rounds: lagrangianRounds)
    print(
      "Lagrangian bound: \(seconds(t))  trips ≥ \(bound.bound) (per-school \(bound.perSchoolBound); "
        + "\(bound.rounds) rounds of column generation, \(bound.converged ? "converged" : "not converged"))")
  }
  if let storePath {
    try? FileManager.default.removeItem(atPath: storePath)
    let database = try ExamDatabase(path: storePath)
    let audit = { (s: String) in
      AuditEntry(at: Timestamp.now(), operator: "bench", command: "bench", arguments: "", summary: s)
    }
    _ = try database.importExam(
      ExamDefinition(
        id: "BENCH", title: "Benchmark", formCount: 2, sections: [],
        packSha256: String(repeating: "0", count: 64)), audit: audit("exam"))
    _ = try database.importCandidates(roster.candidates, audit: audit("candidates"))
    try database.replaceVenues(
      centres: venues.centres, sessions: venues.sessions, adjacency: venues.adjacency,
      audit: audit("venues"))
    t = ContinuousClock.now
    let stored = try await RoomsService(database: database).allocate(examId: "BENCH", seed: seed, audit: audit)
    print(
      "command: \(seconds(t))  (exam allocate: store read + plan + store write of \(stored.assignments.count) seats)")
  }
} catch {
  FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
  exit(1)
}
