// pocketsphinx 0.8+5prealpha (Debian 12 libpocketsphinx-dev). The variadic cmd_ln_init does not import into
// Swift: build the configuration with cmd_ln_parse_r over an argv array instead.
#include <pocketsphinx.h>
// err_set_logfp: sphinxbase's log is one FILE* for the whole process (PhoneAligner silences it once).
#include <sphinxbase/err.h>
// The decoder's own front end and feature computation (ps_get_fe, ps_get_feat), to score every frame against
// every phone (Pronunciation's SenoneModel): pocketsphinx 0.8 returns one acoustic score per aligned segment only.
#include <sphinxbase/fe.h>
#include <sphinxbase/feat.h>
