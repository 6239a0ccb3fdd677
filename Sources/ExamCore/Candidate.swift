/// A registered candidate for a sitting.
public struct Candidate: Sendable, Codable, Equatable, Hashable {
  /// Special arrangements a candidate is entitled to.
  public enum Accommodation: String, Sendable, Codable, CaseIterable, Hashable {
    case accessibleSeat = "accessible-seat"
    case separateRoom = "separate-room"
    case extraTime = "extra-time"
  }

  /// Candidate (admission) number.
  public var id: String
  public var name: String
  /// 18-character national ID (the last may be X).
  public var nationalId: String
  public var school: String
  public var district: String
  public var accommodations: [Accommodation]

  public init(
    id: String, name: String, nationalId: String, school: String, district: String,
    accommodations: [Accommodation] = []
  ) {
    self.id = id
    self.name = name
    self.nationalId = nationalId
    self.school = school
    self.district = district
    self.accommodations = accommodations
  }
}
