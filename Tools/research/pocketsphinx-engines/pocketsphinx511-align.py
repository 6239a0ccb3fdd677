"""Times pocketsphinx 5.1.1's phone-level forced alignment (word alignment, then set_alignment) on the same files.
Usage: python3 pocketsphinx511-align.py LIST yes|no — LIST lines "file.raw<TAB>words". Needs `pip install
pocketsphinx==5.1.1` (its wheel holds the same C code and en-us model as the sdist). Run by compare.sh."""
import sys, time
from pocketsphinx import Decoder

lines = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if "\t" in l]
compallsen = sys.argv[2] == "yes"
d = Decoder(hmm="/usr/share/pocketsphinx/model/en-us/en-us",
            dict="/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict",
            compallsen=compallsen, bestpath=False, loglevel="FATAL", lm=None)
audio = used = 0.0
failed = phones = 0
for path, words in lines:
    raw = open(path, "rb").read()
    t0 = time.process_time()
    try:
        d.set_align_text(words)
        d.start_utt(); d.process_raw(raw, full_utt=True); d.end_utt()
        d.set_alignment(); d.start_utt(); d.process_raw(raw, full_utt=True); d.end_utt()
        phones += sum(1 for w in d.get_alignment() for p in w)
    except RuntimeError:
        failed += 1
    used += time.process_time() - t0
    audio += len(raw) / 32000
print(f"pocketsphinx 5.1.1 compallsen={sys.argv[2]}: {len(lines)} files, {audio:.1f} s audio, {used:.2f} s CPU => "
      f"{audio / used:.1f} x real time; {failed} failed; {phones} phones")
