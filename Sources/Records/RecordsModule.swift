/// Namespace of the Records module; its README says what the module does.
public enum RecordsModule {}
