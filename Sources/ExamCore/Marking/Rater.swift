/// A person who marks spoken answers.
public struct Rater: Sendable, Codable, Equatable, Hashable {
  public var id: String
  public var name: String
  /// The rater's school: they never mark a candidate of the same school.
  public var school: String
  public init(id: String, name: String, school: String) {
    self.id = id
    self.name = name
    self.school = school
  }
}
