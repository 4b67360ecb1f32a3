# Sourced by .ci/run and ./clipstream: points JAVA_HOME at a JDK 21 or newer.
java_major() { "$1" -version 2>&1 | sed -nE 's/.*version "([0-9]+).*/\1/p' | head -n 1; }
jdk_ok() { [ -x "$1/bin/java" ] && [ "$(java_major "$1/bin/java")" -ge 21 ] 2>/dev/null; }
if ! { [ -n "${JAVA_HOME:-}" ] && jdk_ok "$JAVA_HOME"; }; then
  JAVA_HOME=""
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    jdk_ok "$candidate" && JAVA_HOME=$candidate
  fi
  if [ -z "$JAVA_HOME" ]; then
    for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 \
                     /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64 /usr/lib/jvm/*; do
      if jdk_ok "$candidate"; then JAVA_HOME=$candidate; break; fi
    done
  fi
  if [ -z "$JAVA_HOME" ]; then
    echo "clipstream needs JDK 21 or newer; none found. Install one (for example Temurin 21) and set JAVA_HOME." >&2
    exit 1
  fi
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
