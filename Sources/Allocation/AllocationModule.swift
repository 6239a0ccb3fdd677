/// Namespace of the Allocation module; its README says what the module does.
public enum AllocationModule {}
