/// Namespace of the Ingest module; its README says what the module does.
public enum IngestModule {}
