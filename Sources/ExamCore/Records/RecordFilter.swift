/// Which students a query or export covers; nil fields do not filter.
public struct RecordFilter: Sendable, Equatable {
  public var school: String?
  public var district: String?
  public var cohort: Int?
  /// Only these national IDs.
  public var nationalIds: Set<String>?

  public init(school: String? = nil, district: String? = nil, cohort: Int? = nil, nationalIds: Set<String>? = nil) {
    self.school = school
    self.district = district
    self.cohort = cohort
    self.nationalIds = nationalIds
  }
}

/// Counts from a records import or sync.
public struct RecordChangeSummary: Sendable, Equatable, Codable {
  public var studentsInserted = 0
  public var studentsUpdated = 0
  public var entriesInserted = 0
  public var entriesUpdated = 0
  public var entriesUnchanged = 0
  public init() {}
  public var changed: Bool { studentsInserted + studentsUpdated + entriesInserted + entriesUpdated > 0 }
}
