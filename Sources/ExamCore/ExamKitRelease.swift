/// The release of this ExamKit build. Scale-out workers (docs/scale-out.md) refuse to work on a queue published
/// by another release, because two releases may measure and score the same answer differently.
/// Bump it with every release that changes features, scoring or the PostgreSQL schema.
public enum ExamKitRelease {
  public static let version = "2026.12.1"
}
