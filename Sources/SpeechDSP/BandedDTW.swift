/// Dynamic time warping of two feature sequences inside a band around the scaled diagonal.
///
/// Row i may only visit columns within `band` of `i·(m−1)/(n−1)`, so cost and memory are O(n·band), not
/// O(n·m). Steps (1,0), (0,1), (1,1), each adding the local distance (RMS difference per dimension); the
/// distance is the path's total cost divided by its number of steps, so a sequence against itself gives 0.
public struct BandedDTW: Sendable {
  /// One aligned pair (row of the first sequence, row of the second) per path step, in time order.
  public var path: [(Int, Int)]
  /// Local distance at each step of `path`.
  public var stepDistances: [Float]
  /// Mean local distance along the path (0 = identical).
  public var distance: Double

  /// Aligns `a` (`n × dimension`, row-major) with `b` (`m × dimension`).
  /// - Parameter band: half-width in frames (at least large enough to keep the band connected).
  public init(_ a: [Float], _ b: [Float], dimension: Int, band: Int) {
    let n = a.count / dimension
    let m = b.count / dimension
    guard n > 0, m > 0 else {
      path = []
      stepDistances = []
      distance = .infinity
      return
    }
    let slope = n > 1 ? Double(m - 1) / Double(n - 1) : 0
    let w = max(band, Int(slope.rounded(.up)) + 1, 1)
    let width = 2 * w + 1
    func center(_ i: Int) -> Int { n > 1 ? Int((Double(i) * slope).rounded()) : 0 }
    let scale = 1 / Float(dimension)
    func local(_ i: Int, _ j: Int) -> Float {
      var sum: Float = 0
      for k in 0..<dimension {
        let d = a[i * dimension + k] - b[j * dimension + k]
        sum += d * d
      }
      return (sum * scale).squareRoot()
    }
    let infinity = Float.infinity
    var cost = [Float](repeating: infinity, count: n * width)
    // cost[i * width + (j - center(i) + w)]
    func at(_ i: Int, _ j: Int) -> Float {
      let offset = j - center(i) + w
      guard i >= 0, j >= 0, offset >= 0, offset < width else { return infinity }
      return cost[i * width + offset]
    }
    for i in 0..<n {
      let c = center(i)
      for j in max(0, c - w)...min(m - 1, c + w) {
        let d = local(i, j)
        let best: Float = (i == 0 && j == 0) ? 0 : min(at(i - 1, j), at(i, j - 1), at(i - 1, j - 1))
        cost[i * width + (j - c + w)] = best + d
      }
    }
    // Backtrack from (n−1, m−1).
    var steps: [(Int, Int)] = []
    var distances: [Float] = []
    var i = n - 1
    var j = m - 1
    steps.reserveCapacity(n + m)
    while true {
      steps.append((i, j))
      distances.append(local(i, j))
      if i == 0 && j == 0 { break }
      let diagonal = at(i - 1, j - 1)
      let up = at(i - 1, j)
      let left = at(i, j - 1)
      if diagonal <= up && diagonal <= left {
        i -= 1
        j -= 1
      } else if up <= left {
        i -= 1
      } else {
        j -= 1
      }
    }
    path = steps.reversed()
    stepDistances = distances.reversed()
    let total = at(n - 1, m - 1)
    distance = total.isFinite ? Double(total) / Double(steps.count) : .infinity
  }
}
