import ExamCore

/// Gradient-boosted regression trees for squared error (Friedman 2001), small and deterministic: each tree is a
/// complete binary tree of fixed depth over features cut at their training quantiles; rows and features are
/// sampled per tree from a seeded generator, so the same data and settings give the same trees.
public struct BoostedTrees: Sendable, Codable, Equatable {
  public struct Settings: Sendable, Equatable {
    public var trees = 300
    public var depth = 4
    public var learningRate = 0.05
    /// No split leaves fewer training rows than this on either side.
    public var minimumLeafRows = 40
    /// Share of the rows each tree is grown on.
    public var rowShare = 0.8
    /// Share of the features each tree may split on.
    public var featureShare = 0.5
    /// Candidate thresholds per feature: its quantiles over the training rows.
    public var bins = 64
    public var seed: UInt64 = 1

    public init() {}
  }

  /// One tree: node `i`'s children are `2i + 1` (value ≤ threshold) and `2i + 2`; leaf `k` of the bottom level
  /// holds an already-shrunk value. A node that does not split sends every row left (threshold `Float.greatestFiniteMagnitude`, which JSON can
  /// hold).
  public struct Tree: Sendable, Codable, Equatable {
    public var features: [Int32]
    public var thresholds: [Float]
    public var leaves: [Float]
  }

  public var featureCount: Int
  public var depth: Int
  /// The training targets' mean, where every prediction starts.
  public var base: Double
  public var trees: [Tree]

  public func predict(_ row: [Double]) -> Double {
    precondition(row.count == featureCount, "a row of \(row.count) features for a model of \(featureCount)")
    var total = base
    let internalCount = (1 << depth) - 1
    for tree in trees {
      var node = 0
      while node < internalCount {
        node = Float(row[Int(tree.features[node])]) <= tree.thresholds[node] ? 2 * node + 1 : 2 * node + 2
      }
      total += Double(tree.leaves[node - internalCount])
    }
    return total
  }

  /// Fits `rows` (each of the same length, no NaN) to `targets`.
  public static func train(rows: [[Double]], targets: [Double], settings: Settings = Settings()) -> BoostedTrees {
    precondition(rows.count == targets.count && !rows.isEmpty, "rows and targets must match and not be empty")
    let featureCount = rows[0].count
    let binned = BinnedFeatures(rows: rows, bins: settings.bins)
    let base = targets.reduce(0, +) / Double(targets.count)
    var predictions = [Double](repeating: base, count: rows.count)
    var random = SplitMix64(seed: settings.seed)
    var trees: [Tree] = []
    trees.reserveCapacity(settings.trees)
    let rowsPerTree = max(1, Int((Double(rows.count) * settings.rowShare).rounded()))
    let featuresPerTree = max(1, Int((Double(featureCount) * settings.featureShare).rounded()))
    for _ in 0..<settings.trees {
      let residuals = zip(targets, predictions).map { Float($0 - $1) }
      let sampledRows = random.sample(rowsPerTree, of: rows.count)
      let sampledFeatures = random.sample(featuresPerTree, of: featureCount)
      let tree = TreeGrower(
        binned: binned, residuals: residuals, features: sampledFeatures, depth: settings.depth,
        minimumLeafRows: settings.minimumLeafRows, learningRate: Float(settings.learningRate)
      ).grow(rows: sampledRows)
      for index in rows.indices {
        predictions[index] += Double(tree.leafValue(binnedRow: index, binned: binned, depth: settings.depth))
      }
      trees.append(tree)
    }
    return BoostedTrees(featureCount: featureCount, depth: settings.depth, base: base, trees: trees)
  }
}

/// Each feature cut at its training quantiles; a row's value is replaced by the index of its bin.
struct BinnedFeatures {
  /// Per feature, ascending upper edges: bin `b` holds values ≤ `cuts[f][b]` and > `cuts[f][b - 1]`.
  let cuts: [[Float]]
  /// Row-major: `bins[row * featureCount + feature]`.
  let bins: [UInt8]
  let featureCount: Int

  init(rows: [[Double]], bins binCount: Int) {
    featureCount = rows[0].count
    var cuts: [[Float]] = []
    for feature in 0..<featureCount {
      let sorted = rows.map { Float($0[feature]) }.sorted()
      var edges: [Float] = []
      for k in 1..<min(binCount, 256) {
        let value = sorted[min(sorted.count - 1, k * sorted.count / binCount)]
        if edges.last.map({ value > $0 }) ?? true, value < sorted[sorted.count - 1] { edges.append(value) }
      }
      cuts.append(edges)
    }
    self.cuts = cuts
    var bins = [UInt8](repeating: 0, count: rows.count * featureCount)
    for (index, row) in rows.enumerated() {
      for feature in 0..<featureCount {
        let value = Float(row[feature])
        let edges = cuts[feature]
        var low = 0
        var high = edges.count
        while low < high {
          let middle = (low + high) / 2
          if value <= edges[middle] { high = middle } else { low = middle + 1 }
        }
        bins[index * featureCount + feature] = UInt8(low)
      }
    }
    self.bins = bins
  }
}

extension BoostedTrees.Tree {
  /// The leaf a training row reaches, read from its bins (the thresholds are bin edges).
  func leafValue(binnedRow row: Int, binned: BinnedFeatures, depth: Int) -> Float {
    let internalCount = (1 << depth) - 1
    var node = 0
    while node < internalCount {
      let feature = Int(features[node])
      let threshold = thresholds[node]
      let bin = Int(binned.bins[row * binned.featureCount + feature])
      let goesLeft =
        threshold == .greatestFiniteMagnitude
        || bin < binned.cuts[feature].count && binned.cuts[feature][bin] <= threshold
      node = goesLeft ? 2 * node + 1 : 2 * node + 2
    }
    return leaves[node - internalCount]
  }
}

/// Grows one tree level by level on binned features, each node splitting where the squared-error gain is largest.
private struct TreeGrower {
  let binned: BinnedFeatures
  let residuals: [Float]
  let features: [Int]
  let depth: Int
  let minimumLeafRows: Int
  let learningRate: Float

  func grow(rows: [Int]) -> BoostedTrees.Tree {
    let internalCount = (1 << depth) - 1
    var splitFeatures = [Int32](repeating: 0, count: internalCount)
    var thresholds = [Float](repeating: .greatestFiniteMagnitude, count: internalCount)
    var leaves = [Float](repeating: 0, count: internalCount + 1)
    var level: [[Int]] = [rows]
    var firstNode = 0
    for _ in 0..<depth {
      var next: [[Int]] = []
      for (offset, nodeRows) in level.enumerated() {
        let node = firstNode + offset
        if let (feature, bin) = bestSplit(nodeRows) {
          splitFeatures[node] = Int32(feature)
          thresholds[node] = binned.cuts[feature][bin]
          let left = nodeRows.filter { Int(binned.bins[$0 * binned.featureCount + feature]) <= bin }
          let right = nodeRows.filter { Int(binned.bins[$0 * binned.featureCount + feature]) > bin }
          next += [left, right]
        } else {
          next += [nodeRows, []]
        }
      }
      firstNode = 2 * firstNode + 1
      level = next
    }
    for (leaf, leafRows) in level.enumerated() where !leafRows.isEmpty {
      let sum = leafRows.reduce(Float(0)) { $0 + residuals[$1] }
      leaves[leaf] = learningRate * sum / Float(leafRows.count)
    }
    return BoostedTrees.Tree(features: splitFeatures, thresholds: thresholds, leaves: leaves)
  }

  /// The (feature, last bin on the left) of the best split, or nil when none leaves enough rows on both sides or
  /// gains anything.
  private func bestSplit(_ rows: [Int]) -> (Int, Int)? {
    guard rows.count >= 2 * minimumLeafRows else { return nil }
    let total = rows.reduce(Float(0)) { $0 + residuals[$1] }
    let parentScore = Double(total) * Double(total) / Double(rows.count)
    var best: (gain: Double, feature: Int, bin: Int)?
    var sums = [Float](repeating: 0, count: 256)
    var counts = [Int](repeating: 0, count: 256)
    for feature in features {
      let edgeCount = binned.cuts[feature].count
      guard edgeCount > 0 else { continue }
      for bin in 0...edgeCount {
        sums[bin] = 0
        counts[bin] = 0
      }
      for row in rows {
        let bin = Int(binned.bins[row * binned.featureCount + feature])
        sums[bin] += residuals[row]
        counts[bin] += 1
      }
      var leftSum: Double = 0
      var leftCount = 0
      for bin in 0..<edgeCount {
        leftSum += Double(sums[bin])
        leftCount += counts[bin]
        let rightCount = rows.count - leftCount
        guard leftCount >= minimumLeafRows else { continue }
        guard rightCount >= minimumLeafRows else { break }
        let rightSum = Double(total) - leftSum
        let gain =
          leftSum * leftSum / Double(leftCount) + rightSum * rightSum / Double(rightCount) - parentScore
        if gain > (best?.gain ?? 1e-12) { best = (gain, feature, bin) }
      }
    }
    return best.map { ($0.feature, $0.bin) }
  }
}

extension SplitMix64 {
  /// `count` distinct indices of `0..<population`, ascending (partial Fisher–Yates).
  mutating func sample(_ count: Int, of population: Int) -> [Int] {
    var indices = Array(0..<population)
    let taken = min(count, population)
    for i in 0..<taken {
      let j = i + Int(next() % UInt64(population - i))
      indices.swapAt(i, j)
    }
    return indices[0..<taken].sorted()
  }
}
