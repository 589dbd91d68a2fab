# Sourced by ./heavykv, ci/*.sh and .ci/run: finds a JDK >= 22 and exports JAVA_HOME.
# Many machines keep an older default JDK; the engine needs 22+ (the FFM API is final from 22; Vector API).
# Order: HEAVYKV_JAVA_HOME, JAVA_HOME, java on PATH, then well-known install folders (newest first).

heavykv_jdk_major() {
  local home="$1" v=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  fi
  v=${v#1.}
  echo "${v%%[.+-]*}"
}

heavykv_find_jdk() {
  local min=22 candidates=() home major best="" best_major=0
  [ -n "${HEAVYKV_JAVA_HOME:-}" ] && candidates+=("$HEAVYKV_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  # HEAVYKV_JDK_DIRS replaces the well-known folders (unusual installs, and testing this script).
  for home in ${HEAVYKV_JDK_DIRS:-/usr/lib/jvm/* /opt/java/* /opt/*jdk* /usr/local/*jdk* $HOME/.sdkman/candidates/java/* $HOME/.jdks/*}; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    major=$(heavykv_jdk_major "$home") || continue
    [ -n "$major" ] || continue
    # An explicit choice that fits wins; otherwise take the newest JDK found.
    if [ "$major" -ge "$min" ] && { [ "$home" = "${HEAVYKV_JAVA_HOME:-}" ] || [ "$home" = "${JAVA_HOME:-}" ]; }; then
      best="$home"; best_major=$major; break
    fi
    if [ "$major" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then
      best="$home"; best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "heavykv: no JDK $min or newer found." >&2
    echo "  looked at: HEAVYKV_JAVA_HOME, JAVA_HOME, the javac on PATH, /usr/lib/jvm, /opt, /usr/local, ~/.sdkman, ~/.jdks" >&2
    echo "  install one (for example Temurin 25, or a distribution's openjdk-25-jdk package) or set HEAVYKV_JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  export HEAVYKV_JDK_MAJOR="$best_major"
  # Maven 3.8's bundled Guava calls sun.misc.Unsafe, which JDK 24+ warns about on every run.
  if [ "$best_major" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in
      *sun-misc-unsafe-memory-access*) ;;
      *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
    esac
  fi
}
