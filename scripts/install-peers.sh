#!/usr/bin/env bash
# Installs the real SPICE peers the tests are judged against, from Debian's packages, when any is missing:
# QEMU (reference server), spice-gtk's spicy-screenshot and virt-viewer's remote-viewer (reference clients),
# Xvfb, xauth, xdotool, xclip and setxkbmap (headless X, its clipboard and keyboard layouts), ImageMagick (pixel compare), tshark (wire
# dumps), chromium and spice-html5 (the browser client), openssl (test certificates), xorriso and GRUB's grub-mkrescue (ISO images), sox (audio analysis), binutils (as, ld, objcopy: a
# boot sector that programs a hardware cursor), cyrus-sasl's tools and mechanisms (SASL against QEMU), tinyproxy (HTTP CONNECT),
# and the GStreamer plugins spice-gtk plays and records audio with (appsrc, audioconvert, audioresample from
# -base; autoaudiosink/autoaudiosrc from -good, which fall back to fake devices on a machine without sound),
# and the video ones: QEMU's spice-server encodes H.264 with x264enc (-ugly) and VP8/VP9 with vp8enc/vp9enc
# (-good); spice-gtk decodes with h264parse (-bad) and avdec_h264/vp8/vp9 (-libav).
# The Linux test guest (scripts/guest/build.sh, run by the guest ITs) is made from Debian packages that are
# downloaded, not installed (apt-get download); on the host it needs apt, dpkg-deb, readelf and python3.
set -euo pipefail
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v spicy-screenshot >/dev/null || need+=(spice-client-gtk)
command -v remote-viewer >/dev/null || need+=(virt-viewer)
command -v xvfb-run >/dev/null || need+=(xvfb)
command -v xauth >/dev/null || need+=(xauth)          # xvfb-run needs it; xvfb only recommends it
command -v xorriso >/dev/null || need+=(xorriso)      # bootable ISO images for the USB CD-ROM test
command -v xdotool >/dev/null || need+=(xdotool)
command -v grub-mkrescue >/dev/null || need+=(grub-common)   # the GRUB menu ISO of GatewayRecordIT
[[ -d /usr/lib/grub/i386-pc ]] || need+=(grub-pc-bin)       # grub-mkrescue's BIOS boot images
command -v mformat >/dev/null || need+=(mtools)             # grub-mkrescue's EFI image
command -v xclip >/dev/null || need+=(xclip)          # clipboard of the agent tests
command -v setxkbmap >/dev/null || need+=(x11-xkb-utils)   # German and French layouts of KeyboardLayoutsIT
command -v compare >/dev/null || need+=(imagemagick)
command -v tshark >/dev/null || need+=(tshark)
command -v openssl >/dev/null || need+=(openssl)
command -v sox >/dev/null || need+=(sox)              # judges the WAV files our audio client writes
command -v chromium >/dev/null || need+=(chromium)    # the browser of the WebSocket tests (spice-html5 in it)
[[ -f /usr/share/spice-html5/spice_auto.html ]] || need+=(spice-html5)   # the browser client our server serves
# spice connect (the GUI) needs AWT's X11 library, which Debian's openjdk-*-jre-headless packages leave out.
if command -v java >/dev/null; then
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  [[ -f "$java_home/lib/libawt_xawt.so" ]] || need+=(openjdk-17-jre)
fi
# the boot sector of QemuCursorIT; readelf lists the libraries the Linux test guest needs (scripts/guest/build.sh)
command -v objcopy >/dev/null && command -v as >/dev/null && command -v readelf >/dev/null || need+=(binutils)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
# reads the X cursor (XFixes) in RemoteViewerCursorIT; writes the test guest's pictures and tone
command -v python3 >/dev/null || need+=(python3)
installed libxfixes3 || need+=(libxfixes3)
installed gstreamer1.0-plugins-base || need+=(gstreamer1.0-plugins-base)
installed gstreamer1.0-plugins-good || need+=(gstreamer1.0-plugins-good)
command -v gst-launch-1.0 >/dev/null || need+=(gstreamer1.0-tools)   # decodes the WebM video export of GatewayRecordIT
command -v saslpasswd2 >/dev/null || need+=(sasl2-bin)    # the sasldb of QemuSaslIT (QEMU -spice sasl=on)
installed libsasl2-modules || need+=(libsasl2-modules)   # cyrus-sasl's DIGEST-MD5 for QEMU
command -v tinyproxy >/dev/null || need+=(tinyproxy)      # the HTTP CONNECT proxy of QemuProxyIT
command -v curl >/dev/null || need+=(curl)                # the WebDAV client of OurServerWebdavIT
# the platform keychain of KeychainIT: a Secret Service on its own session bus, reached through secret-tool
command -v secret-tool >/dev/null || need+=(libsecret-tools)
command -v gnome-keyring-daemon >/dev/null || need+=(gnome-keyring)
command -v dbus-daemon >/dev/null || need+=(dbus-daemon)
installed gstreamer1.0-plugins-bad || need+=(gstreamer1.0-plugins-bad)
installed gstreamer1.0-plugins-ugly || need+=(gstreamer1.0-plugins-ugly)
installed gstreamer1.0-libav || need+=(gstreamer1.0-libav)
installed libturbojpeg0 || need+=(libturbojpeg0)   # libjpeg-turbo, the client's JPEG decoder (org.spice.video's TurboJpeg)
installed liblz4-1 || need+=(liblz4-1)   # liblz4, the client's decoder of 32-bit LZ4 images (org.spice.video's LibLz4)
# org.spice.video's JNI library (libjpeg-turbo and liblz4 writing straight into Java arrays), which the build compiles
# where gcc is found and TurboJpegTest and LibLz4Test require on Linux x86-64
command -v gcc >/dev/null || need+=(gcc)
installed libc6-dev || need+=(libc6-dev)
if ((${#need[@]} == 0)); then
  echo "install-peers: all peers present"
  exit 0
fi
sudo=
if [[ $(id -u) != 0 ]]; then
  sudo=sudo
fi
echo "install-peers: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${need[@]}"
