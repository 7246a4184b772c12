#!/bin/sh
# Builds org.spice.video's JNI library (heap_array_calls.c) into the bundle's classes, for Linux on x86-64 (the
# platform whose natives the bundle embeds): OUTPUT_DIR/linux-x86-64/libspicevideo.so, with the flags Debian builds
# its packages with. Run by Maven (org.spice.video/pom.xml) on such a machine. Without gcc or the JDK's jni.h it
# builds nothing and says so: the bundle then copies JPEG pictures out of native memory and leaves LZ4 images to the
# display's own decoder (TurboJpeg and LibLz4 log why).
#
#   build-natives.sh SOURCE_DIR OUTPUT_DIR JAVA_HOME
set -eu
src="$1"
out="$2/linux-x86-64"
java_home="$3"
if ! command -v gcc >/dev/null 2>&1; then
  echo "[WARNING] org.spice.video: no gcc, so no JNI library: JPEG pictures will be copied out of native memory," \
    "LZ4 images decoded without liblz4" >&2
  exit 0
fi
if [ ! -f "$java_home/include/jni.h" ]; then
  echo "[WARNING] org.spice.video: no $java_home/include/jni.h (not a JDK?), so no JNI library" >&2
  exit 0
fi
mkdir -p "$out"
exec gcc -std=c11 -O2 -g0 -fPIC -shared -Wall -Wextra -Werror -fstack-protector-strong -D_FORTIFY_SOURCE=2 \
  -Wl,-z,relro,-z,now,-z,noexecstack -I"$java_home/include" -I"$java_home/include/linux" \
  -o "$out/libspicevideo.so" "$src/heap_array_calls.c"
