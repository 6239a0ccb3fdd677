import Allocation
import ArgumentParser
import ExamCore
import ExamStorage

extension ExamCommand {
  struct Allocate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "allocate",
      abstract: "Place every candidate in a session, centre, room and seat; export, show and reseat.",
      discussion: """
        Example:
          exam allocate --exam SH-2026-EL --seed 7
          exam allocate export --exam SH-2026-EL --format html --out plans/
          exam allocate show --candidate 2026010001
          exam allocate reseat --session D1-AM --room R101 --seat 07 --reason "headset dead"
        """,
      subcommands: [AllocateRun.self, AllocateExport.self, AllocateShow.self, AllocateReseat.self],
      defaultSubcommand: AllocateRun.self)
  }

  struct AllocateRun: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "run",
      abstract: "Allocate seats for an exam (the default subcommand).",
      discussion: """
        Hard rules: every candidate exactly once; no seat twice in a session; reserve seats stay empty;
        accessible-seat only in accessible rooms; separate-room alone in a room; never outside the candidate's
        own or an adjacent district. Soft objectives are printed beside lower bounds no plan can beat:
        same-school neighbours (side by side or front/back), school bus trips (centre-sessions), even room
        fill. Neighbouring seats get different forms when the exam has more than one. The same inputs and
        seed give the same plan, byte for byte. When seats are short, each short district is named and
        nothing is stored.

        --exact (for small cities, up to about 5,000 candidates) then solves the bus-trip problem as a
        mixed-integer program (COIN-OR CBC) after the search — which rooms the separate-room candidates get
        included — and prints the fewest trips it proves possible; the plan stays deterministic unless
        --exact-seconds ends the solver (said in the report).

        Up to 20,000 candidates the report also gives a tighter bound on bus trips, by column generation (the
        schools compete for the seats of each centre-session); --tight-bound computes it at any size (about
        9 s at 100,000 candidates).

        Example:
          exam allocate --exam SH-2026-EL --seed 7
          exam allocate run --exam SH-2026-EL --json
          exam allocate --exam SH-2026-EL --exact
          exam allocate --exam SH-2026-EL --time-limit 6    (a large city: fewer bus trips, more time)
        """)

    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions
    @Option(help: "The exam id (default: the only exam in the store).") var exam: String?
    @Option(help: "Seed for tie-breaking and the order of candidates within a school.") var seed: UInt64 = 1
    @Option(
      help:
        "Seconds the bus-trip search may take on each of two cores (default 2; counted as work, so the plan depends on the seed only, unless the wall clock runs out first). Above \(SeatPlanner.guideCandidates) candidates, seconds beyond 2 go to column generation guiding a second plan (at 100,000, 6 s took the second city model's plans from 6-8 % to 4.6-5.4 % over the bound)."
    )
    var timeLimit: Double = SeatPlanner.defaultTimeLimitSeconds
    @Option(
      help:
        "Rounds of column generation that guide a second plan on each core (default \(SeatPlanner.defaultGuideRounds) up to \(SeatPlanner.guideCandidates) candidates; above, as many as --time-limit beyond 2 s pays for, at most \(SeatPlanner.maxGuideRounds); at 100,000 a round takes 0.03 s per core at first, 0.15 s by the 30th)."
    )
    var guideRounds: Int?
    @Flag(help: "Solve the bus trips exactly (mixed-integer program) after the search: small cities.")
    var exact = false
    @Option(help: "Branch-and-bound nodes --exact may search (default 20000; deterministic).")
    var exactNodes = ExactLimits.standard.maximumNodes
    @Option(help: "Seconds --exact may take at most (default 60; a plan cut short by it may vary by machine).")
    var exactSeconds = ExactLimits.standard.maximumSeconds
    @Flag(
      help:
        "Compute the column-generation bound on bus trips whatever the size (on by default up to 20,000 candidates; about 9 s at 100,000)."
    )
    var tightBound = false
    @Flag(help: "Print the quality report as JSON.") var json = false

    var examOption: ExamOption { .given(exam) }

    func validate() throws {
      guard timeLimit >= 0, timeLimit.isFinite else {
        throw ValidationError("'--time-limit' must be 0 or more seconds (got \(timeLimit)).")
      }
      if let guideRounds, guideRounds < 0 {
        throw ValidationError("'--guide-rounds' must be 0 or more (got \(guideRounds)).")
      }
      guard exactNodes >= 0, exactSeconds > 0, exactSeconds.isFinite else {
        throw ValidationError(
          "'--exact-nodes' must be 0 or more and '--exact-seconds' more than 0 (got \(exactNodes), \(exactSeconds)).")
      }
    }

    func run(_ context: CommandContext) async throws {
      let service = RoomsService(database: context.sitting)
      let examId = context.examId
      let limits = exact ? ExactLimits(maximumNodes: exactNodes, maximumSeconds: exactSeconds) : nil
      var arguments = ["--exam", examId, "--seed", String(seed), "--time-limit", String(timeLimit)]
      if exact {
        arguments += ["--exact", "--exact-nodes", String(exactNodes), "--exact-seconds", String(exactSeconds)]
      }
      if tightBound { arguments.append("--tight-bound") }
      if let guideRounds { arguments += ["--guide-rounds", String(guideRounds)] }
      let plan = try await service.allocate(
        examId: examId, seed: seed, timeLimitSeconds: timeLimit, exact: limits,
        columnGenerationBound: tightBound ? true : nil, guideRounds: guideRounds,
        warn: { ProgressReporter.writeError("warning: \($0)\n") }
      ) { context.audit($0, arguments: arguments) }
      if json {
        print(JSONOutput.string(plan.quality))
      } else {
        context.say("exam \(examId): \(plan.assignments.count) candidates seated (seed \(seed))")
        let search = plan.search
        context.say(
          "bus-trip search: \(search.tripsBefore) → \(search.tripsAfter) trips in \(search.passes) passes"
            + (search.regroupedSchools > 0 ? " (\(search.regroupedSchools) regroupings)" : "")
            + (search.sidewaysMoves > 0 ? " and \(search.sidewaysMoves) sideways moves" : "")
            + (search.guideRounds > 0
              ? ", packed from a plan guided by \(search.guideRounds) rounds of column generation" : "")
            + (search.stoppedByTimeLimit ? ", stopped by --time-limit" : "")
            + (search.stoppedByClock ? " (by the wall clock: the plan may differ between machines)" : "")
            + "; separate rooms "
            + (search.separateRoomsAfterDryRun
              ? "where a first plan (a dry run) put their schools"
              : search.separateRoomRounds > 1
                ? "placed again where their schools went (round \(search.separateRoomRounds))" : "first given")
            + ", \(search.separateRoomsMoved) then moved to their school's centre-session"
            + (search.unpackableParts > 0
              ? "; \(search.unpackableParts) centre-session parts split a school over both seat classes" : ""))
        if search.roomCountsPairsSaved + search.annealingPairsSaved > 0 {
          context.say(
            "same-school pairs that no plan avoids: "
              + (search.roomCountsPairsSaved > 0
                ? "\(search.roomCountsPairsSaved) fewer planned again from each room's best counts per school"
                  + Self.tripsSaved(search.roomCountsTripsSaved) : "")
              + (search.roomCountsPairsSaved > 0 && search.annealingPairsSaved > 0 ? ", " : "")
              + (search.annealingPairsSaved > 0 ? "\(search.annealingPairsSaved) fewer by annealing the seats" : ""))
        }
        if search.roomCountsPairsSaved == 0 && search.roomCountsTripsSaved > 0 {
          context.say(
            "bus trips where same-school pairs cannot be avoided: \(search.roomCountsTripsSaved) fewer, planned again "
              + "from counts per room with as few pairs")
        }
        if let e = plan.quality.exactTrips {
          context.say(
            "exact bus trips: \(e.searchTrips) → \(e.trips), bound \(e.bound)"
              + (e.provenOptimal ? " (proven optimal)" : " (gap \(e.trips - e.bound))")
              + " after \(e.nodes) nodes" + (e.stoppedBySeconds ? ", stopped by --exact-seconds" : "")
              + (e.trips < e.searchTrips && !e.used
                ? "; its solution could not keep each school to one seat class per room, so the search's plan stays"
                : ""))
        }
        for line in plan.quality.reportLines { context.say(line) }
        // No guide ran: the default time limit above `guideCandidates` (`SeatPlanner.budgets`).
        if guideRounds == nil && plan.assignments.count > SeatPlanner.guideCandidates
          && timeLimit <= SeatPlanner.defaultTimeLimitSeconds
        {
          context.say(
            "hint: a longer --time-limit (e.g. 6) spends the seconds beyond \(Int(SeatPlanner.defaultTimeLimitSeconds))"
              + " on a plan guided by column generation: 1–2.5 % fewer bus trips on the 100,000-candidate benchmark"
              + " cities (docs/benchmarks.md)")
        }
      }
    }

    /// " (N fewer bus trips)", " (N more bus trips)", or nothing.
    static func tripsSaved(_ n: Int) -> String {
      n == 0 ? "" : " (\(abs(n)) \(n > 0 ? "fewer" : "more") bus trip\(abs(n) == 1 ? "" : "s"))"
    }
  }
}
