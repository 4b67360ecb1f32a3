#!/usr/bin/env bash
# Issue 19's measurement: lossy WebP through the libwebp port (LossyWebpDecoder) against TwelveMonkeys'
# WebP reader, compared by embedding on the default model and the ViT-B/32-sized bench model.
# Figures and the decision: docs/MODELS.md, "WebP decoding". About 2 minutes on 2 vCPUs, plus about one
# to make the bench model the first time. Needs /usr/bin/python3 with Pillow (WebP), torch and onnx.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/jdk.sh
python=${PYTHON:-/usr/bin/python3}
"$python" scripts/make_webp_reencodings.py target/webp-reencodings
bench=target/bench-models/clip-vit-b-32
[ -f "$bench/clipstream-model.json" ] || "$python" scripts/bench_models.py "$bench"
./mvnw -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
exec java --enable-native-access=ALL-UNNAMED -cp "target/classes:target/test-classes:$(cat target/test.classpath)" \
  io.clipstream.encoders.image.WebpDecoderComparison --model models/default --model "$bench" \
  src/test/resources/fixtures target/webp-reencodings
