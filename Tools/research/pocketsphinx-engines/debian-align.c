/* Times Debian's pocketsphinx 0.8 forced alignment of prompt phones (one-phone "words" in a JSGF grammar).
 * Usage: debian-align LIST compallsen(yes|no) — LIST lines: "file.raw<TAB>JSGF" (16 kHz s16le mono).
 * Prints audio seconds, CPU seconds and x real time. Built and run by compare.sh. */
#include <pocketsphinx.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: debian-align LIST yes|no DICT\n"); return 64; }
  char *args[] = {"-hmm", "/usr/share/pocketsphinx/model/en-us/en-us", "-dict", argv[3], "-compallsen", argv[2],
    "-fsgusefiller", "no", "-bestpath", "no", "-remove_silence", "no", "-logfn", "/dev/null"};
  cmd_ln_t *config = cmd_ln_parse_r(NULL, ps_args(), 14, args, 1);
  ps_decoder_t *ps = ps_init(config);
  if (!ps) { fprintf(stderr, "cannot load the model\n"); return 1; }
  FILE *list = fopen(argv[1], "r");
  static char line[65536];
  double audio = 0, used = 0; int failed = 0, n = 0, phones = 0;
  while (fgets(line, sizeof line, list)) {
    char *tab = strchr(line, '\t'); if (!tab) continue; *tab = 0; line[strcspn(tab + 1, "\n") + (tab + 1 - line)] = 0;
    FILE *f = fopen(line, "rb"); fseek(f, 0, SEEK_END); long count = ftell(f) / 2; fseek(f, 0, SEEK_SET);
    short *pcm = malloc(count * 2); if (fread(pcm, 2, count, f) != (size_t)count) return 1; fclose(f);
    double t0 = cpu();
    ps_set_jsgf_string(ps, "a", tab + 1); ps_set_search(ps, "a");
    ps_start_utt(ps); ps_process_raw(ps, pcm, count, 0, 1); ps_end_utt(ps);
    int32 score; if (!ps_get_hyp(ps, &score)) failed++;
    for (ps_seg_t *s = ps_seg_iter(ps); s; s = ps_seg_next(s)) { int32 a, l, b; ps_seg_prob(s, &a, &l, &b); phones++; }
    used += cpu() - t0; audio += count / 16000.0; n++; free(pcm);
  }
  printf("debian 0.8 compallsen=%s: %d files, %.1f s audio, %.2f s CPU => %.1f x real time; %d failed; %d segments\n",
    argv[2], n, audio, used, audio / used, failed, phones);
  ps_free(ps); cmd_ln_free_r(config); return 0;
}
