import CCbc

/// A linear minimisation solved by COIN-OR CLP, built to grow by columns (column generation): the one owner of its
/// `Clp_Simplex` handle (made in `init`, freed in `deinit`, never shared). Rows are fixed at `init`; each
/// `solve` after `addColumns` starts from the last basis (primal simplex), so a few new columns cost a few pivots.
final class LinearProgram {
  enum Status: Equatable {
    case optimal
    case infeasible
    case unbounded
    case stopped(Int32)
  }

  /// `Clp_Simplex` is `void` in the C interface.
  private let model: UnsafeMutableRawPointer
  let rowCount: Int
  private(set) var columnCount = 0
  private var solved = false

  /// - Parameters: rowLower/rowUpper: each row's range (use ±`Double.greatestFiniteMagnitude` for none).
  init(rowLower: [Double], rowUpper: [Double]) {
    precondition(rowLower.count == rowUpper.count)
    guard let model = Clp_newModel() else { fatalError("CLP could not allocate a model (out of memory)") }
    self.model = model
    rowCount = rowLower.count
    Clp_setLogLevel(model, 0)
    var starts: [CoinBigIndex] = [0]
    rowLower.withUnsafeBufferPointer { lower in
      rowUpper.withUnsafeBufferPointer { upper in
        Clp_loadProblem(
          model, 0, Int32(rowLower.count), &starts, nil, nil, nil, nil, nil, lower.baseAddress, upper.baseAddress)
      }
    }
  }

  deinit { Clp_deleteModel(model) }

  /// Adds columns, each with its cost, bounds [0, upper] and its entries (row, coefficient).
  func addColumns(_ columns: [(cost: Double, upper: Double, entries: [(row: Int, value: Double)])]) {
    guard !columns.isEmpty else { return }
    var starts: [CoinBigIndex] = [0]
    var rows: [Int32] = []
    var values: [Double] = []
    for column in columns {
      for e in column.entries {
        precondition(e.row >= 0 && e.row < rowCount, "row \(e.row) of a column is outside the program")
        rows.append(Int32(e.row))
        values.append(e.value)
      }
      starts.append(CoinBigIndex(rows.count))
    }
    let lower = Array(repeating: 0.0, count: columns.count)
    let upper = columns.map(\.upper)
    let cost = columns.map(\.cost)
    Clp_addColumns(model, Int32(columns.count), lower, upper, cost, starts, rows, values)
    columnCount += columns.count
  }

  /// Solves from the last basis (the first time from scratch, by the dual simplex).
  ///
  /// Not `Clp_initialSolve`: its automatic choice may take CLP 1.17's "sprint" method on programs with many more
  /// columns than rows, which prints "N slacks added" with printf whatever the log level (ClpSolve.cpp) — and
  /// `exam allocate --json` must print nothing but its JSON. The dual method never takes that path.
  func solve() -> Status {
    _ = solved ? Clp_primal(model, 0) : Clp_initialDualSolve(model)
    solved = true
    switch Clp_status(model) {
    case 0: return .optimal
    case 1: return .infeasible
    case 2: return .unbounded
    case let s: return .stopped(s)
    }
  }

  /// Sets row `row`'s upper bound; the next `solveAgain` starts from the last basis.
  func setRowUpper(_ row: Int, _ value: Double) {
    precondition(row >= 0 && row < rowCount, "row \(row) is outside the program")
    guard let current = Clp_rowUpper(model) else { return }
    var upper = Array(UnsafeBufferPointer(start: current, count: rowCount))
    upper[row] = value
    Clp_chgRowUpper(model, upper)
  }

  /// Solves again after row bounds changed, by the dual simplex from the last basis (still dual feasible).
  func solveAgain() -> Status {
    guard solved else { return solve() }
    Clp_dual(model, 0)
    switch Clp_status(model) {
    case 0: return .optimal
    case 1: return .infeasible
    case 2: return .unbounded
    case let s: return .stopped(s)
    }
  }

  /// Simplex iterations of the last `solve`.
  var iterations: Int { Int(Clp_numberIterations(model)) }

  /// The objective's value at the last solution.
  var objectiveValue: Double { Clp_objectiveValue(model) }

  /// Each row's dual value (for a minimisation: ≤ 0 on a binding ≤ row).
  var rowDuals: [Double] {
    guard let duals = Clp_dualRowSolution(model) else { return Array(repeating: 0, count: rowCount) }
    return Array(UnsafeBufferPointer(start: duals, count: rowCount))
  }

  /// Each column's value at the last solution.
  var columnValues: [Double] {
    guard let values = Clp_getColSolution(model) else { return Array(repeating: 0, count: columnCount) }
    return Array(UnsafeBufferPointer(start: values, count: columnCount))
  }
}
