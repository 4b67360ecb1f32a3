#!/usr/bin/env bash
# Rebuilds models/default from nothing but Debian packages and the Maven build, and measures it
# beside the model it replaces (v2, taken from git) and beside the same tower untrained.
#
#   scripts/default_model/train.sh            (from the repository root; one command, 2 CPU cores)
#
# 1. apt-get install the data packages, rsvg-convert and Debian's torch (skipped when present)
# 2. build the dataset (target/dataset, 128 px renders) and its galleries: the held-out split,
#    and every source whole (target/dataset/galleries)
# 3. v2 from git (target/default-v2) and this tower untrained (target/default-untrained)
# 4. embed every caption with clipstream's own text tower (all-MiniLM-L6-v2 from the jar)
# 5. train the image tower and export it to models/default (wall clock, CPU time and peak memory
#    in target/default-work/train.time)
# 6. evaluate the three models on each source's held-out split and on all together (captions),
#    and the paraphrase queries over the whole Tux Paint, whole openclipart and all-sources
#    galleries; results in target/default-work/eval/*.json, tables printed at the end
# EPOCHS=N overrides the number of epochs (20).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
WORK=target/default-work
DATA=target/dataset
V2_COMMIT=9fe37c051caf8d1e8f8acbb5bb27f4e035f9ef73   # the last commit of models/default as clipstream-default-v2
NICE="nice -n ${NICE_LEVEL:-10}"
mkdir -p "$WORK/eval"

packages="openclipart-svg tuxpaint-stamps-default fonts-noto-color-emoji unicode-cldr-core librsvg2-bin
          python3-torch python3-pil python3-numpy python3-onnx"
if ! dpkg -s $packages >/dev/null 2>&1; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages
fi

start=$(date +%s)
$NICE $PY scripts/default_model/build_dataset.py --out $DATA --size 128
$NICE $PY scripts/default_model/galleries.py --dataset $DATA
$NICE $PY scripts/default_model/train.py export-untrained --out target/default-untrained
mkdir -p target/default-v2
for f in image.onnx clipstream-model.json; do git show "$V2_COMMIT:models/default/$f" > "target/default-v2/$f"; done

tail -n +2 $DATA/captions.tsv | cut -f4 > "$WORK/texts.txt"
$NICE ./clipstream embed-texts --model target/default-untrained --input "$WORK/texts.txt" \
  --output "$WORK/text_vectors.f32"

/usr/bin/time -v -o "$WORK/train.time" $NICE $PY scripts/default_model/train.py train --dataset $DATA \
  --text-vectors "$WORK/text_vectors.f32" --out models/default ${EPOCHS:+--epochs $EPOCHS} | tee "$WORK/train.log"
echo "dataset, text vectors and training: $(( $(date +%s) - start )) s; load: $(uptime)" | tee -a "$WORK/train.log"
grep -E "Elapsed|User time|System time|Maximum resident" "$WORK/train.time" | tee -a "$WORK/train.log"

H=$DATA/heldout
G=$DATA/galleries
evaluate() {  # model-name dir output-name args...
  local name=$1 dir=$2 out=$3; shift 3
  $NICE ./clipstream evaluate --model "$dir" --json --no-progress "$@" > "$WORK/eval/$name-$out.json"
}
for model in default v2 untrained; do
  dir=models/default; [ "$model" != default ] && dir=target/default-$model
  for source in openclipart tuxpaint emoji; do
    evaluate $model "$dir" $source --images "$H/images/$source" --captions "$H/$source.tsv"
  done
  evaluate $model "$dir" all --images "$H/images" --captions "$H/all.tsv"
  evaluate $model "$dir" whole-tuxpaint --images "$G/tuxpaint" --queries models/default/eval/tuxpaint_paraphrases.tsv
  evaluate $model "$dir" whole-openclipart --images "$G/openclipart" --queries models/default/eval/openclipart_paraphrases.tsv
  evaluate $model "$dir" whole-all-tuxpaint --images "$G/all" --queries "$G/tuxpaint_all.tsv"
  evaluate $model "$dir" whole-all-openclipart --images "$G/all" --queries "$G/openclipart_all.tsv"
done
echo "everything: $(( $(date +%s) - start )) s" | tee -a "$WORK/train.log"
$PY scripts/default_model/metrics_table.py "$WORK/eval"
