#!/usr/bin/env bash
# Spoken digits from espeak-ng, in English and German (as SHD has), for the cochlea front end's tests:
#   scripts/makeSpokenDigits.sh OUTDIR
# writes OUTDIR/{train,test}/<class>/<voice>/<speed>.wav: 20 classes (en-zero … en-nine, de-null … de-neun), each
# word spoken by every voice at two speeds. Voices are espeak-ng variants (different pitch, formants, breathiness);
# the test voices are not among the training voices, so a network must generalise to unseen speakers.
set -euo pipefail
out=${1:?usage: makeSpokenDigits.sh OUTDIR}
command -v espeak-ng >/dev/null || { echo "espeak-ng is needed (apt-get install espeak-ng)" >&2; exit 2; }
en=(zero one two three four five six seven eight nine)
de=(null eins zwei drei vier fünf sechs sieben acht neun)
train_voices=(m1 m2 m3 m4 m5 f1 f2 f3 Alex Andy Annie Denis)
test_voices=(m6 m7 f4 Storm)
speak() { # split voice speed
  local split=$1 v=$2 s=$3
  for i in "${!en[@]}"; do
    mkdir -p "$out/$split/en-${en[$i]}/$v" "$out/$split/de-${de[$i]}/$v"
    espeak-ng -v "en-us+$v" -s "$s" -w "$out/$split/en-${en[$i]}/$v/s$s.wav" "${en[$i]}"
    espeak-ng -v "de+$v" -s "$s" -w "$out/$split/de-${de[$i]}/$v/s$s.wav" "${de[$i]}"
  done
}
for v in "${train_voices[@]}"; do for s in 130 170; do speak train "$v" "$s"; done; done
for v in "${test_voices[@]}"; do for s in 130 170; do speak test "$v" "$s"; done; done
echo "wrote $(find "$out" -name '*.wav' | wc -l) recordings to $out"
