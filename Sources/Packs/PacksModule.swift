/// Namespace of the Packs module; its README says what the module does.
public enum PacksModule {}
