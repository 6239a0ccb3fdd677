// COIN-OR CBC 2.10 (Debian 12 coinor-libcbc-dev, pkg-config cbc): the mixed-integer solver behind
// `exam allocate --exact`. Only its C interface is used; the owner of a Cbc_Model is Allocation's
// MixedIntegerProgram.
#include <Cbc_C_Interface.h>
// Its LP solver, CLP, for the column generation behind `PlanChecker.lagrangianTripsBound`; owner: Allocation's
// LinearProgram.
#include <Clp_C_Interface.h>
