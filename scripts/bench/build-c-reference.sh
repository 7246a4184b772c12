#!/usr/bin/env bash
# Builds the C reference of the codec benchmarks (org.spice.bench, docs/codec-bench.md): spice-common's QUIC and LZ
# codecs from Debian's spice source package (spice 0.15.1 carries spice-common in subprojects/spice-common),
# spice-gtk's GLZ decoder (decode-glz.c, with spice-common's canvas_utils.c and mem.c it needs) from Debian's
# spice-gtk source package, liblz4 and libjpeg-turbo (the libraries spice-gtk decodes LZ4 and JPEG with), behind the
# small JNI harness org.spice.bench/src/main/c/spice_c_reference.c and spice_c_glz.c. Compiled with the flags Debian builds its packages with
# (dpkg-buildflags), so the figures are those of the packaged peers' code.
#
#   scripts/bench/build-c-reference.sh [OUTPUT.so]     (default org.spice.bench/target/c-reference/libspicecref.so)
#
# Installs what is missing (a deb-src line, gcc, the -dev packages) with apt-get; the source package is kept in
# ~/.cache/spice-c-reference. Not part of ./mvnw verify: only the benchmarks need it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/org.spice.bench/target/c-reference/libspicecref.so}"
cache="${SPICE_C_REFERENCE_CACHE:-$HOME/.cache/spice-c-reference}"
sudo=
[[ $(id -u) == 0 ]] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
need=()
for p in gcc dpkg-dev libc6-dev libglib2.0-dev libspice-protocol-dev liblz4-dev libjpeg62-turbo-dev libpixman-1-dev; do
  installed "$p" || need+=("$p")
done
src_list=/etc/apt/sources.list.d/debian-src.sources
if ! grep -rqs '^\(Types: .*deb-src\|deb-src \)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
  echo "build-c-reference: adding Debian's source packages ($codename) to apt in $src_list"
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$codename" "$codename" | $sudo tee "$src_list" >/dev/null
  updated=
else
  updated=yes
fi
if ((${#need[@]})) || [[ -z $updated ]]; then
  $sudo apt-get update -q
fi
if ((${#need[@]})); then
  echo "build-c-reference: installing ${need[*]}"
  $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
fi

common="$(ls -d "$cache"/spice-*/subprojects/spice-common/common 2>/dev/null | head -1 || true)"
if [[ -z $common ]]; then
  mkdir -p "$cache"
  (cd "$cache" && apt-get source -q spice)
  common="$(ls -d "$cache"/spice-*/subprojects/spice-common/common | head -1)"
fi
echo "build-c-reference: spice-common from $(dirname "$(dirname "$(dirname "$common")")")"
gtk="$(ls -d "$cache"/spice-gtk-*/src 2>/dev/null | head -1 || true)"
if [[ -z $gtk ]]; then
  (cd "$cache" && apt-get source -q spice-gtk)
  gtk="$(ls -d "$cache"/spice-gtk-*/src | head -1)"
fi
echo "build-c-reference: spice-gtk's GLZ decoder from $(dirname "$gtk")"

java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v java)")")")}"
[[ -f $java_home/include/jni.h ]] || { echo "build-c-reference: no jni.h under $java_home (set JAVA_HOME to a JDK)" >&2; exit 1; }

build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
: > "$build/config.h"   # quic.c and lz.c include <config.h>; they need nothing from it
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2046
# spice-gtk's src comes after spice-common's directories: decode-glz.c's own headers (decode.h, spice-util.h,
# gio-coroutine.h) are found beside it, and spice_c_glz.c defines the few coroutine and debug functions it calls.
gcc $(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS) -fPIC -shared -o "$out" \
  -I"$build" -I"$common" -I"$(dirname "$common")" -I"$gtk" -I"$java_home/include" -I"$java_home/include/linux" \
  $(pkg-config --cflags glib-2.0 spice-protocol pixman-1) \
  "$root/org.spice.bench/src/main/c/spice_c_reference.c" "$common/quic.c" "$common/lz.c" \
  "$root/org.spice.bench/src/main/c/spice_c_glz.c" "$gtk/decode-glz.c" "$common/canvas_utils.c" "$common/mem.c" \
  $(dpkg-buildflags --get LDFLAGS) -llz4 -ljpeg -lpixman-1 $(pkg-config --libs glib-2.0)
echo "build-c-reference: wrote $out"
