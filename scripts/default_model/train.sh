#!/usr/bin/env bash
# Rebuilds models/default from nothing but Debian packages and the Maven build, and measures it.
#
#   scripts/default_model/train.sh            (from the repository root; about 25-45 minutes on 2 CPU cores)
#
# 1. apt-get install the data packages and rsvg-convert (skipped when present)
# 2. build the dataset (target/dataset) and its held-out galleries
# 3. export the image tower untrained (target/default-untrained: the baseline, and a model
#    directory for step 4)
# 4. embed every caption with clipstream's own text tower (all-MiniLM-L6-v2 from the jar)
# 5. train the image tower and export it to models/default
# 6. evaluate trained and untrained towers on each source's held-out split and on all together,
#    and the paraphrase queries; results in target/default-work/eval/*.json
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
WORK=target/default-work
mkdir -p "$WORK/eval"

packages="openclipart-svg tuxpaint-stamps-default fonts-noto-color-emoji unicode-cldr-core librsvg2-bin"
if ! dpkg -s $packages >/dev/null 2>&1; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages
fi

start=$(date +%s)
nice -n 10 $PY scripts/default_model/build_dataset.py --out target/dataset
nice -n 10 $PY scripts/default_model/heldout_galleries.py --dataset target/dataset
nice -n 10 $PY scripts/default_model/train.py export-untrained --out target/default-untrained

tail -n +2 target/dataset/captions.tsv | cut -f4 > "$WORK/texts.txt"
nice -n 10 ./clipstream embed-texts --model target/default-untrained --input "$WORK/texts.txt" \
  --output "$WORK/text_vectors.f32"

nice -n 10 $PY scripts/default_model/train.py train --dataset target/dataset \
  --text-vectors "$WORK/text_vectors.f32" --out models/default | tee "$WORK/train.log"
echo "dataset, text vectors and training: $(( $(date +%s) - start )) s" | tee -a "$WORK/train.log"

H=target/dataset/heldout
for model in default untrained; do
  dir=models/default; [ "$model" = untrained ] && dir=target/default-untrained
  for source in openclipart tuxpaint emoji; do
    nice -n 10 ./clipstream evaluate --model "$dir" --images "$H/images/$source" --captions "$H/$source.tsv" --json \
      --no-progress > "$WORK/eval/$model-$source.json"
  done
  nice -n 10 ./clipstream evaluate --model "$dir" --images "$H/images" --captions "$H/all.tsv" --json \
    > "$WORK/eval/$model-all.json"
  nice -n 10 ./clipstream evaluate --model "$dir" --images "$H/images/tuxpaint" \
    --queries models/default/eval/tuxpaint_paraphrases.tsv --json --no-progress > "$WORK/eval/$model-paraphrases.json"
done
$PY scripts/default_model/metrics_table.py "$WORK/eval"
