/// Namespace of the Scoring module; its README says what the module does.
public enum ScoringModule {}
