/* Times Debian's pocketsphinx 0.8 free phone loop (all-phone search with the model's phone LM), all senones scored.
 * Beams 1e-20 (with the default 1e-48 it had not finished 14 s of audio after 81 s of CPU).
 * Usage: debian-allphone LIST DICT — LIST lines "file.raw<TAB>…" (16 kHz s16le mono). Run by compare.sh. */
#include <pocketsphinx.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: debian-allphone LIST DICT\n"); return 64; }
  char *args[] = {"-hmm", "/usr/share/pocketsphinx/model/en-us/en-us", "-dict", argv[2], "-compallsen", "yes",
    "-allphone", "/usr/share/pocketsphinx/model/en-us/en-us-phone.lm.bin", "-bestpath", "no", "-remove_silence", "no",
    "-beam", "1e-20", "-pbeam", "1e-20", "-logfn", "/dev/null"};
  cmd_ln_t *config = cmd_ln_parse_r(NULL, ps_args(), 18, args, 1);
  ps_decoder_t *ps = ps_init(config);
  if (!ps) { fprintf(stderr, "cannot load the model\n"); return 1; }
  FILE *list = fopen(argv[1], "r");
  static char line[65536];
  double audio = 0, used = 0; int n = 0;
  while (fgets(line, sizeof line, list)) {
    char *tab = strchr(line, '\t'); if (!tab) continue; *tab = 0;
    FILE *f = fopen(line, "rb"); fseek(f, 0, SEEK_END); long count = ftell(f) / 2; fseek(f, 0, SEEK_SET);
    short *pcm = malloc(count * 2); if (fread(pcm, 2, count, f) != (size_t)count) return 1; fclose(f);
    double t0 = cpu();
    ps_start_utt(ps); ps_process_raw(ps, pcm, count, 0, 1); ps_end_utt(ps);
    used += cpu() - t0; audio += count / 16000.0; n++; free(pcm);
  }
  printf("debian 0.8 all-phone loop, all senones: %d files, %.1f s audio, %.2f s CPU => %.1f x real time\n",
    n, audio, used, audio / used);
  ps_free(ps); cmd_ln_free_r(config); return 0;
}
