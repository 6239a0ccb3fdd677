import CCbc
import Foundation

/// A minimisation over integer and continuous columns with linear rows, solved by COIN-OR CBC: the one owner
/// of its `Cbc_Model` handle (made in `init`, freed in `deinit`, never shared).
///
/// CBC runs on one thread here and stops at `maximumNodes` branch-and-bound nodes (which makes a run depend on
/// its input only) or at `maximumSeconds` (a safety net; a run stopped by it may differ between machines).
/// CBC's solver driver (`CbcMain1`, behind `Cbc_solve`) keeps state in globals: two solves at once in one
/// process gave wrong proofs in a test, so solves take a process-wide lock.
final class MixedIntegerProgram {
  enum Sense: CChar {
    case atMost = 76  // "L"
    case atLeast = 71  // "G"
    case equal = 69  // "E"
  }

  struct Solution {
    /// Column values of the best integer solution found, or nil when none was found.
    var values: [Double]?
    var objective: Double
    /// The solver's proven lower bound on the objective.
    var bound: Double
    var provenOptimal: Bool
    var stoppedBySeconds: Bool
    var nodes: Int
  }

  private static let solver = NSLock()
  /// `Cbc_Model` is `void` in the C interface.
  private let model: UnsafeMutableRawPointer
  /// The program is kept here and handed to CBC once, in `solve`: CBC 2.10's `Cbc_addRow` copies the whole
  /// column-ordered matrix on every call, which made a 100,000-candidate city's program (≈ 300,000 rows) take
  /// longer to build than to solve.
  private var lower: [Double] = []
  private var upper: [Double] = []
  private var cost: [Double] = []
  private var integerColumns: [Int32] = []
  private var rowLower: [Double] = []
  private var rowUpper: [Double] = []
  /// Per row, its terms (column, coefficient).
  private var rowTerms: [[(column: Int32, coefficient: Double)]] = []
  /// Whether CBC has the program (rows added after that are not seen: build first, then solve).
  private var loaded = false
  var columnCount: Int { cost.count }
  var rowCount: Int { rowLower.count }

  init() {
    guard let model = Cbc_newModel() else { fatalError("CBC could not allocate a model (out of memory)") }
    self.model = model
    Cbc_setLogLevel(model, 0)
  }

  deinit { Cbc_deleteModel(model) }

  /// Adds a column with bounds and objective coefficient; returns its index.
  @discardableResult
  func addColumn(lower: Double, upper: Double, cost: Double, integer: Bool) -> Int {
    if integer { integerColumns.append(Int32(self.cost.count)) }
    self.lower.append(lower)
    self.upper.append(upper)
    self.cost.append(cost)
    return self.cost.count - 1
  }

  /// Adds the row Σ coefficients[k] · x[columns[k]] (sense) rhs.
  func addRow(_ terms: [(column: Int, coefficient: Double)], _ sense: Sense, _ rhs: Double) {
    precondition(!loaded, "rows are added before the program is solved")
    rowTerms.append(terms.map { (Int32($0.column), $0.coefficient) })
    rowLower.append(sense == .atMost ? -Double.greatestFiniteMagnitude : rhs)
    rowUpper.append(sense == .atLeast ? Double.greatestFiniteMagnitude : rhs)
  }

  /// Hands the program to CBC as one column-ordered matrix.
  private func load() {
    var starts = Array(repeating: Int32(0), count: columnCount + 1)
    for terms in rowTerms { for t in terms { starts[Int(t.column) + 1] += 1 } }
    for c in 0..<columnCount { starts[c + 1] += starts[c] }
    var next = starts
    var rows = Array(repeating: Int32(0), count: Int(starts[columnCount]))
    var values = Array(repeating: 0.0, count: rows.count)
    for (r, terms) in rowTerms.enumerated() {
      for t in terms {
        let k = Int(next[Int(t.column)])
        rows[k] = Int32(r)
        values[k] = t.coefficient
        next[Int(t.column)] += 1
      }
    }
    Cbc_loadProblem(
      model, Int32(columnCount), Int32(rowCount), starts, rows, values, lower, upper, cost, rowLower, rowUpper)
    for c in integerColumns { Cbc_setInteger(model, c) }
    rowTerms = []
    loaded = true
  }

  /// Runs `body` with file descriptor 1 pointed at /dev/null: CBC 2.10 and the CLP under it print some messages
  /// with printf whatever the log level ("N slacks added" from CLP's sprint crash, "row inf …" after its
  /// presolve), and `exam allocate --json` must print nothing but its JSON. Solves hold `solver`, and the
  /// command prints its report only after planning.
  private static func withStandardOutputSilenced(_ body: () -> Void) {
    fflush(nil)
    let saved = dup(1)
    let null = open("/dev/null", O_WRONLY)
    guard saved >= 0, null >= 0 else {
      if saved >= 0 { close(saved) }
      if null >= 0 { close(null) }
      body()
      return
    }
    dup2(null, 1)
    close(null)
    body()
    fflush(nil)
    dup2(saved, 1)
    close(saved)
  }

  /// Solves within the limits. (No starting solution is given: CBC 2.10 skips its preprocessing when given one,
  /// and then took 10× as long on the cities tried; the caller keeps its own plan when it is as good.)
  func solve(maximumNodes: Int, maximumSeconds: Double) -> Solution {
    if !loaded { load() }
    Cbc_setMaximumNodes(model, Int32(clamping: maximumNodes))
    Cbc_setMaximumSeconds(model, maximumSeconds)
    Self.solver.lock()
    defer { Self.solver.unlock() }
    Self.withStandardOutputSilenced { _ = Cbc_solve(model) }
    var values: [Double]?
    if let best = Cbc_bestSolution(model) {
      values = Array(UnsafeBufferPointer(start: best, count: columnCount))
    }
    return Solution(
      values: values, objective: Cbc_getObjValue(model), bound: Cbc_getBestPossibleObjValue(model),
      provenOptimal: Cbc_isProvenOptimal(model) != 0, stoppedBySeconds: Cbc_isSecondsLimitReached(model) != 0,
      nodes: Int(Cbc_getNodeCount(model)))
  }
}
