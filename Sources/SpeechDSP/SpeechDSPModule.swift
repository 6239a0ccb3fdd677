/// Namespace of the SpeechDSP module; its README says what the module does.
public enum SpeechDSPModule {}
