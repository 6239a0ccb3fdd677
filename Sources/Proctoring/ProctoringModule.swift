/// Namespace of the Proctoring module; its README says what the module does.
public enum ProctoringModule {}
