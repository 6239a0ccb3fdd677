import Allocation
import ArgumentParser
import ExamCore
import ExamStorage

extension ExamCommand {
  struct Centres: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "centres",
      abstract: "Manage test centres, rooms, seats and sessions.",
      subcommands: [CentresImport.self, CentreTokens.self])
  }

  struct CentresImport: ExamSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Import centres, rooms, seats, sessions and district adjacency from a YAML file.",
      discussion: """
        Replaces the stored centres, rooms, seats and adjacency (sessions are added or updated); the same
        file again changes nothing, and seats a stored allocation uses must be kept. A room is a
        grid (grid: {rows, columns}; seats 01, 02, … row by row from the front left) or a seat list with
        machine ids (seats: [{id, row, col, machine}]); accessible: true marks an accessible room; reserve is
        a count, a list of seat ids, or left out for 10% of the room (at least 1). Every error names its key
        path and line. See ExamPacks/sample-sitting/centres.yaml.

        Example:
          exam centres import ExamPacks/sample-sitting/centres.yaml
        """)

    static let runsOnPostgres = true
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The centres YAML file.") var file: String
    @Flag(help: "Print the counts as JSON.") var json = false

    struct Report: Encodable {
      var centres: Int
      var rooms: Int
      var seats: Int
      var reserveSeats: Int
      var sessions: Int
      var adjacentPairs: Int
      var changed: Bool
    }

    var auditArguments: [String] { [file] }

    func run(_ context: CommandContext) async throws {
      let service = RoomsService(database: context.sitting)
      let (venues, changed) = try await service.importCentres(path: file) {
        context.audit($0)
      }
      let rooms = venues.centres.flatMap(\.rooms)
      let seats = rooms.flatMap(\.seats)
      let report = Report(
        centres: venues.centres.count, rooms: rooms.count, seats: seats.count,
        reserveSeats: seats.filter(\.reserve).count, sessions: venues.sessions.count,
        adjacentPairs: venues.adjacency.count,
        changed: changed)
      if json {
        print(JSONOutput.string(report))
      } else {
        context.say(
          "\(file): \(report.centres) centres, \(report.rooms) rooms, \(report.seats) seats (\(report.reserveSeats) reserve), \(report.sessions) sessions, \(report.adjacentPairs) adjacent district pairs"
            + (changed ? "" : " (unchanged)"))
      }
    }
  }
}
