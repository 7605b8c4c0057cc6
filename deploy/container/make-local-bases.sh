#!/usr/bin/env bash
# The hooks' "$1" is mmdebstrap's (the root folder being made), expanded by the hook's own shell.
# shellcheck disable=SC2016
# Makes the two base images the Dockerfile takes, from Debian's packages, for a machine that cannot pull from
# an image registry (CI's: no registry is reachable, Debian's mirror is). Operators with a registry need none of
# this: the Dockerfile defaults to maven:3.9-eclipse-temurin-17 and eclipse-temurin:25-jre.
#
#   deploy/container/make-local-bases.sh            # prints the --build-arg options for podman build
#
# - localhost/mlpages-build: Debian bookworm with its OpenJDK 17 and Maven (the project's baseline JDK), trusting
#   the certificate authorities this machine added (/usr/local/share/ca-certificates: CI reaches Maven Central
#   through a proxy of its own), so that Maven in the build fetches what this machine's Maven fetches;
# - localhost/mlpages-runtime: Debian bookworm with a Java runtime at /opt/java/openjdk, like Temurin's images:
#   a jlink'ed runtime of the newest JDK 25+ found under /usr/lib/jvm (the start cache needs 25 for its fastest
#   form), else Debian's OpenJDK 17 runtime.
# An image that exists with the same recipe (a label holds a hash of this script and of the JDK's release
# file) is kept: making both takes 2-3 minutes, so CI makes them once per machine.
set -euo pipefail
suite=${MLPAGES_DEBIAN_SUITE:-bookworm}

newest_jdk() {
  local best="" best_feature=0 home feature
  for home in /usr/lib/jvm/*/; do
    home=${home%/}
    if [ ! -x "$home/bin/jlink" ] || [ ! -f "$home/release" ]; then continue; fi
    feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
    [ -n "$feature" ] && [ "$feature" -gt "$best_feature" ] && { best=$home; best_feature=$feature; }
  done
  [ "$best_feature" -ge 25 ] && echo "$best"
  return 0
}

# the recipe's fingerprint: this script, the suite, and the JDK copied in (if any)
recipe() {
  { cat "$0"; echo "$suite"; if [ -n "${1:-}" ]; then cat "$1/release"; fi; } | sha256sum | cut -c1-16
}

up_to_date() {
  local image=$1 want=$2 have
  have=$(podman image inspect --format '{{ index .Labels "org.mlpages.recipe" }}' "$image" 2>/dev/null) || return 1
  [ "$have" = "$want" ]
}

make_image() {
  local image=$1 label=$2; shift 2
  local tarball
  tarball=$(mktemp --suffix=.tar)
  # mmdebstrap from this machine's own apt sources; --variant=apt: only Essential packages, apt and what is listed
  mmdebstrap --quiet --variant=apt --format=tar "$@" "$suite" "$tarball"
  podman image rm --force "$image" >/dev/null 2>&1 || true
  podman import --quiet --change "LABEL org.mlpages.recipe=$label" \
    --change 'ENV LANG=C.UTF-8' "${CHANGES[@]}" "$tarball" "$image" >/dev/null
  rm -f "$tarball"
  echo "made $image" >&2
}

build_label=$(recipe)
if ! up_to_date localhost/mlpages-build "$build_label"; then
  CHANGES=(--change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64')
  make_image localhost/mlpages-build "$build_label" \
    --include=openjdk-17-jdk-headless,maven,ca-certificates \
    --customize-hook='if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
        cp /usr/local/share/ca-certificates/*.crt "$1/usr/local/share/ca-certificates/"
        chroot "$1" update-ca-certificates >/dev/null; fi' \
    --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*'
fi

jdk=$(newest_jdk)
runtime_label=$(recipe "$jdk")
if ! up_to_date localhost/mlpages-runtime "$runtime_label"; then
  CHANGES=(--change 'ENV JAVA_HOME=/opt/java/openjdk' --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
  if [ -n "$jdk" ]; then
    # a runtime without the development tools, as Temurin's JRE images are; --generate-cds-archive keeps the
    # JDK's default class-data archive, which a plain jlink image lacks
    jre=$(mktemp -d)
    modules=$("$jdk/bin/java" --list-modules | sed 's/@.*//' \
      | grep -v -E '^jdk\.(jshell|javadoc|jdeps|jlink|jpackage|hotspot\.agent|jconsole|jartool|jdi|jstatd|editpad|internal\.(ed|jvmstat|opt|le))$' \
      | paste -sd,)
    "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
      --generate-cds-archive --output "$jre/openjdk" 2>&1 | grep -v -e 'incubator modules' -e 'CDS archive' >&2 || true
    make_image localhost/mlpages-runtime "$runtime_label" --include=ca-certificates,tzdata \
      --customize-hook="mkdir -p \"\$1/opt/java\" && cp -a $jre/openjdk \"\$1/opt/java/openjdk\"" \
      --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*'
    rm -rf "$jre"
  else
    make_image localhost/mlpages-runtime "$runtime_label" --include=openjdk-17-jre-headless,ca-certificates,tzdata \
      --customize-hook='mkdir -p "$1/opt/java" && ln -s /usr/lib/jvm/java-17-openjdk-amd64 "$1/opt/java/openjdk"' \
      --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*'
  fi
fi
echo "--build-arg BUILD_IMAGE=localhost/mlpages-build --build-arg RUNTIME_IMAGE=localhost/mlpages-runtime"
