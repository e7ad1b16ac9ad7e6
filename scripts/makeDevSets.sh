#!/usr/bin/env bash
# Development sets with speaker-disjoint tests, for checking recipes off the data they were tuned on
# (docs/recipes.md). Every test speaker is absent from training; each set is SHD-layout (train.h5, test.h5).
#
#   scripts/makeDevSets.sh OUTDIR [--fsdd FSDD/recordings] [--uk UKR/recordings]
#
#   espeak   espeak-ng voices (scripts/makeSpokenDigits.sh): 20 classes (English and German digits), 12 training
#            voices, 4 test voices, two speeds. Always built (needs espeak-ng).
#   fsdd     Free Spoken Digit Dataset (github.com/Jakobovski/free-spoken-digit-dataset, recordings/): 6 speakers,
#            10 digits, 8 kHz. Not its default split (recordings 0–4 of every speaker): whole speakers held out,
#            test = nicolas and theo (1000 samples), train = george, jackson, lucas, yweweler (2000).
#   uk       Ukrainian spoken digits (github.com/CaCuCkA/ukranian-spoken-digits, recordings/<speaker>/*.mp3):
#            88 speakers (men and women), one recording per digit each; test = every 4th speaker in sorted order
#            (22 speakers), train = the other 66. Files sox cannot decode (a few are AAC named .mp3) are skipped
#            with a line. Needs sox with MP3 support (apt-get install libsox-fmt-mp3).
#
# The spikes come from the workbench's own cochlea (`encode`, defaults: 700 channels as SHD).
set -euo pipefail
out=${1:?usage: makeDevSets.sh OUTDIR [--fsdd FSDD/recordings] [--uk UKR/recordings]}
shift
fsdd='' uk=''
while [ $# -gt 0 ]; do
  case $1 in
    --fsdd) fsdd=${2:?--fsdd needs a folder}; shift 2 ;;
    --uk) uk=${2:?--uk needs a folder}; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
cli() { (cd "$here/.." && npm run -s cli -- "$@"); }
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# encode SET SPLIT DIR CSV SPEAKERS: one split through the cochlea, written under a temporary name then renamed.
encode() {
  local set=$1 split=$2 dir=$3 csv=$4 speakers=$5
  mkdir -p "$out/$set"
  cli encode "$dir" --labels "$csv" --speakers "$speakers" --out "$out/$set/$split.h5" >/dev/null
  echo "$set/$split.h5: $(($(wc -l <"$csv") - 1)) recordings"
}

if [ -f "$out/espeak/test.h5" ]; then echo "espeak: kept (delete $out/espeak to rebuild)"; else
# espeak: folders DIR/{train,test}/<class>/<voice>/<speed>.wav
"$here/makeSpokenDigits.sh" "$work/espeak" >/dev/null
for split in train test; do
  (cd "$work/espeak/$split" && echo 'file,label,speaker' && find . -name '*.wav' | sort | sed -E 's#^\./(([^/]+)/([^/]+)/[^/]+)$#\1,\2,\3#') >"$work/espeak-$split.csv"
done
voices=$(cat "$work"/espeak-*.csv | grep -v '^file' | cut -d, -f3 | sort -u | paste -sd,)
for split in train test; do encode espeak "$split" "$work/espeak/$split" "$work/espeak-$split.csv" "$voices"; done
fi

if [ -n "$fsdd" ] && [ -f "$out/fsdd/test.h5" ]; then echo "fsdd: kept (delete $out/fsdd to rebuild)"
elif [ -n "$fsdd" ]; then
  for split in train test; do
    (echo 'file,label,speaker'
     for f in $(cd "$fsdd" && ls ./*.wav | sed 's#^\./##' | sort); do
       IFS=_ read -r label speaker _ <<<"$f"
       case $speaker in nicolas|theo) s=test ;; *) s=train ;; esac
       if [ "$s" = "$split" ]; then echo "$f,$label,$speaker"; fi
     done) >"$work/fsdd-$split.csv"
  done
  encode fsdd train "$fsdd" "$work/fsdd-train.csv" george,jackson,lucas,nicolas,theo,yweweler
  encode fsdd test "$fsdd" "$work/fsdd-test.csv" george,jackson,lucas,nicolas,theo,yweweler
fi

if [ -n "$uk" ]; then
  command -v sox >/dev/null || { echo "sox is needed for the uk set (apt-get install sox libsox-fmt-mp3)" >&2; exit 2; }
  mkdir -p "$work/uk"
  speakers=$(cd "$uk" && ls -d */ | tr -d / | sort)
  i=0
  echo 'file,label,speaker' >"$work/uk-train.csv"
  echo 'file,label,speaker' >"$work/uk-test.csv"
  for sp in $speakers; do
    split=train
    if [ $((i % 4)) -eq 3 ]; then split=test; fi
    i=$((i + 1))
    for f in "$uk/$sp"/*.mp3; do
      base=$(basename "$f" .mp3)
      label=$((10#${base##*_}))  # man_1_07 → 7, man_1_0 → 0
      # a few files are AAC in an .mp3 name, which sox cannot read: skipped with a line, counted in the report
      if ! sox -q "$f" -c 1 "$work/uk/$base.wav" 2>/dev/null; then echo "uk: skipped $f (sox cannot decode it)" >&2; continue; fi
      echo "$base.wav,$label,$sp" >>"$work/uk-$split.csv"
    done
  done
  list=$(echo "$speakers" | paste -sd,)
  encode uk train "$work/uk" "$work/uk-train.csv" "$list"
  encode uk test "$work/uk" "$work/uk-test.csv" "$list"
fi
echo "development sets in $out"
