#!/usr/bin/env bash
# Builds the Linux test guest: OUTDIR/vmlinux (Debian's kernel, uncompressed) and OUTDIR/initrd.img (an initramfs,
# uncompressed, with busybox-static as the shell, the kernel modules and the user-space tools the guest tests use,
# with the shared libraries they need), plus the pictures and the tone the guest plays (OUTDIR/share/).
#
# Both are left uncompressed because the guest boots under TCG, where decompressing is slow: QEMU boots the ELF
# vmlinux through its PVH entry point (no bzImage decompressor, no real-mode setup) and the kernel unpacks a plain
# cpio; that takes a boot from about 10 s to about 4 s to /init.
#
# Everything comes from Debian packages: `apt-get download` and `dpkg-deb -x`, nothing else from the network.
# Libraries are found by reading the ELF NEEDED entries of each binary inside the extracted tree; kernel modules
# with their dependencies from the modules' own `depends=`.
#
# The result is cached under ${SPICE_GUEST_CACHE:-~/.cache/spice-guest}: it is built again only when this
# script, scripts/guest/init or a package version changes (the cache key is a hash of those). The downloaded
# .debs are kept there too.
#
# Usage: scripts/guest/build.sh OUTDIR
set -euo pipefail
export LC_ALL=C

if (($# != 1)); then
  echo "usage: $0 OUTDIR" >&2
  exit 64
fi
out=$1
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${SPICE_GUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spice-guest}"
start=$(date +%s)

for tool in flock apt-get apt-cache dpkg-deb readelf python3 sha256sum; do
  command -v "$tool" >/dev/null || { echo "guest: '$tool' is missing; run scripts/install-peers.sh" >&2; exit 3; }
done

# The user-space packages whose programs run in the guest (the libraries come from their dependencies).
tools=(busybox-static alsa-utils spice-vdagent xvfb x11-xkb-utils xkb-data xclip x11-xserver-utils spice-webdavd
  dbus-daemon avahi-daemon pcscd libccid opensc opensc-pkcs11 xserver-xorg-core xserver-xorg-video-qxl
  xserver-xorg-input-evdev udev xdotool x11-utils x11-apps)
# Dependencies that put nothing the guest loads into it; leaving them out keeps the download small. A library
# that is then missing fails the build below, naming it.
skip='^(fonts-.*|libllvm[0-9]+|libgl1-mesa-dri|perl|perl-base|perl-modules-.*|libperl.*|adwaita-icon-theme|systemd|systemd-sysv|libsystemd-shared|dbus-broker|dbus-user-session|dbus-x11|cpp|cpp-[0-9]+|gcc-[0-9]+-base|libicu[0-9]+|dpkg|debconf|cdebconf|install-info|adduser|passwd|usrmerge|usr-is-merged|init-system-helpers|ttf-bitstream-vera|gtk-update-icon-cache|hicolor-icon-theme|shared-mime-info|libgtk-3-common|tar|mount|procps|kmod|dmsetup|libcryptsetup[0-9]+|libisl[0-9]+|libmpc[0-9]+|libmpfr[0-9]+|libz3-[0-9]+|gconf.*|libgconf.*|libfile-find-rule-perl|libnumber-compare-perl|libtext-glob-perl|lsb-base|ucf|sensible-utils|libdebian-installer[0-9]+|libnewt.*|libslang.*|libtextwrap[0-9]+|xfonts-.*)$'

if ! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
  echo "guest: no package lists; running apt-get update" >&2
  sudo=; [[ $(id -u) != 0 ]] && sudo=sudo
  $sudo apt-get update -q >&2
fi
kpkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n1)
[[ -n $kpkg ]] || { echo "guest: cannot tell which kernel linux-image-amd64 depends on" >&2; exit 3; }
mapfile -t pkgs < <( { echo "$kpkg"; apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances "${tools[@]}" | grep -v '^[ <]'; } | grep -Ev "$skip" | sort -u)
# The cache key: this script, the guest's init and the exact .deb files (their names carry the versions).
mapfile -t uris < <(apt-get download --print-uris "${pkgs[@]}" 2>/dev/null | sed -n "s/^'\([^']*\)' \([^ ]*\) .*/\1 \2/p" | sort)
((${#uris[@]} == ${#pkgs[@]})) || { echo "guest: apt-get cannot download all of: ${pkgs[*]}" >&2; exit 3; }
key=$( { cat "${BASH_SOURCE[0]}" "$here/init" "$here/media.py"; printf '%s\n' "${uris[@]}"; } | sha256sum | cut -c1-16)
build="$cache/build-$key"
# One build at a time per cache: test JVMs running in parallel share it (the second waits, then finds it cached).
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

# Copies the build to OUTDIR, unless it holds this build already. Test JVMs running in parallel publish to the same
# OUTDIR while QEMU boots from it: the files are put there by rename, so that a QEMU reading the ones published
# before keeps reading them whole (copying over them in place cut one guest's initramfs short).
publish() {
  if [[ -f $out/key && $(cat "$out/key") == "$key" && -f $out/vmlinux && -f $out/initrd.img && -d $out/share ]]; then
    return
  fi
  mkdir -p "$out"
  local tmp
  tmp=$(mktemp -d "$out/.publish.XXXXXX")
  cp -a "$build/vmlinux" "$build/initrd.img" "$build/share" "$tmp/"
  mv -f "$tmp/vmlinux" "$tmp/initrd.img" "$out/"
  rm -rf "$out/share.old" "$out/vmlinuz"
  if [[ -d $out/share ]]; then
    mv "$out/share" "$out/share.old"
  fi
  mv "$tmp/share" "$out/share"
  rm -rf "$out/share.old" "$tmp"
  echo "$key" >"$out/key"
}

if [[ -f $build/initrd.img ]]; then
  touch "$build"
  publish
  echo "guest: cached build $key ($(du -h "$build/initrd.img" | cut -f1) initrd) in $out"
  exit 0
fi

debs="$cache/debs"
mkdir -p "$debs"
work=$(mktemp -d "$cache/work.XXXXXX")
trap 'rm -rf "$work"' EXIT
missing=()
for u in "${uris[@]}"; do
  f=${u#* }
  [[ -f $debs/$f ]] || missing+=("$(basename "$f" .deb | sed 's/_.*//')=$(basename "$f" .deb | cut -d_ -f2 | sed 's/%3a/:/')")
done
if ((${#missing[@]})); then
  echo "guest: downloading ${#missing[@]} packages" >&2
  if ! (cd "$work" && apt-get download -q "${missing[@]}" >&2); then
    # Package lists older than the mirror name .debs it no longer has: update them and run again.
    [[ -z ${SPICE_GUEST_UPDATED:-} ]] || { echo "guest: apt-get download failed" >&2; exit 3; }
    echo "guest: apt-get download failed; updating the package lists and trying again" >&2
    sudo=; [[ $(id -u) != 0 ]] && sudo=sudo
    $sudo apt-get update -q >&2
    rm -rf "$work"
    trap - EXIT
    SPICE_GUEST_UPDATED=1 exec "${BASH_SOURCE[0]}" "$out"
  fi
  mv "$work"/*.deb "$debs/"
fi
stage="$work/stage"
mkdir -p "$stage"
for u in "${uris[@]}"; do
  dpkg-deb -x "$debs/${u#* }" "$stage"
done

root="$work/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib64,proc,sys,dev,tmp,run,var/run,etc,root,share,mnt}
bb="$stage/bin/busybox"

# Files to copy from the stage; ELF files bring their NEEDED libraries, looked up in these directories.
libdirs=(lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib usr/lib)
declare -A copied=()
queue=()
add() { # add REL_PATH...: copy from the stage (following symlinks) and queue ELF files for their libraries
  local rel
  for rel in "$@"; do
    rel=${rel#/}
    [[ -n ${copied[$rel]:-} ]] && continue
    [[ -e $stage/$rel ]] || { echo "guest: $rel is in none of the packages" >&2; exit 3; }
    copied[$rel]=1
    mkdir -p "$root/$(dirname "$rel")"
    rm -f "$root/$rel"
    cp -L "$stage/$rel" "$root/$rel"
    if [[ $(head -c4 "$stage/$rel" | od -An -c | tr -d ' ') == 177ELF ]]; then
      queue+=("$rel")
    fi
  done
}
add_tree() { # add_tree REL_DIR...: a whole directory as it is (data files, symlinks kept)
  local rel
  for rel in "$@"; do
    mkdir -p "$root/$(dirname "$rel")"
    cp -a "$stage/$rel" "$root/$(dirname "$rel")/"
  done
}
resolve_libraries() {
  while ((${#queue[@]})); do
    local f=${queue[0]}
    queue=("${queue[@]:1}")
    local dyn
    dyn=$(readelf -d "$stage/$f" 2>/dev/null || true)
    local rpath
    rpath=$(sed -n 's/.*(RUNPATH\|RPATH).*\[\(.*\)\]/\1/p' <<<"$dyn" | tr ':' ' ')
    local lib
    for lib in $(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$dyn"); do
      local found= d
      for d in ${rpath//\$ORIGIN/$(dirname "/$f")} "${libdirs[@]}"; do
        d=${d#/}
        if [[ -e $stage/$d/$lib ]]; then
          found=$d/$lib
          break
        fi
      done
      [[ -n $found ]] || { echo "guest: $lib (needed by $f) is in none of the packages" >&2; exit 3; }
      add "$found"
    done
  done
}

# busybox is the shell and every small tool; real programs below replace its applets of the same name.
cp "$bb" "$root/bin/busybox"
while read -r applet; do
  [[ $applet == bin/busybox ]] && continue
  mkdir -p "$root/$(dirname "$applet")"
  ln -sf /bin/busybox "$root/$applet"
done < <("$bb" --list-full)
add lib64/ld-linux-x86-64.so.2
add usr/bin/aplay usr/bin/arecord usr/bin/amixer usr/bin/speaker-test
add_tree usr/share/alsa
add usr/bin/Xvfb usr/bin/xkbcomp usr/bin/xclip usr/bin/xrandr usr/bin/spice-vdagent usr/sbin/spice-vdagentd
add_tree usr/share/X11/xkb
# Xorg for the agent scenario: unlike Xvfb it follows a monitors config (RandR on a real display device) and reads
# the tablet spice-vdagentd makes with uinput (evdev, found through udev's hotplug events, hence udevd).
add usr/lib/xorg/Xorg usr/lib/xorg/modules/drivers/modesetting_drv.so usr/lib/xorg/modules/drivers/qxl_drv.so \
  usr/lib/xorg/modules/input/evdev_drv.so usr/lib/xorg/modules/libshadow.so usr/lib/xorg/modules/libshadowfb.so \
  usr/lib/xorg/modules/libfbdevhw.so usr/lib/xorg/modules/libexa.so usr/lib/xorg/modules/libvgahw.so \
  usr/bin/xdotool usr/bin/xev usr/bin/setxkbmap \
  bin/udevadm
# xclock for the render scenario (its antialiased analog hands are Render trapezoids through a depth-8 mask); the
# qxl driver in user mode setting loads vgahw
add usr/bin/xclock
add_tree lib/udev/rules.d
mkdir -p "$root/lib/systemd" "$root/var/lib/xkb" "$root/var/log" "$root/etc/X11"
ln -s /bin/udevadm "$root/lib/systemd/systemd-udevd"
add usr/sbin/spice-webdavd usr/bin/dbus-daemon usr/sbin/avahi-daemon
add_tree usr/share/dbus-1 etc/avahi
add usr/sbin/pcscd usr/bin/pkcs15-tool usr/bin/pkcs11-tool usr/bin/opensc-tool
# opensc loads libpcsclite with dlopen (no NEEDED entry); libccid's Info.plist is a link to /etc/libccid_Info.plist;
# glibc loads libgcc_s when a thread exits (pcscd's reader threads).
add usr/lib/x86_64-linux-gnu/opensc-pkcs11.so usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents/Linux/libccid.so \
  etc/libccid_Info.plist usr/lib/x86_64-linux-gnu/libpcsclite.so.1 lib/x86_64-linux-gnu/libgcc_s.so.1
add_tree usr/lib/pcsc/drivers/ifd-ccid.bundle/Contents/Info.plist etc/opensc
resolve_libraries
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
messagebus:x:100:101::/run:/bin/false
avahi:x:101:102::/run:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
audio:x:29:
messagebus:x:101:
avahi:x:102:
EOF
echo 'hosts: files' >"$root/etc/nsswitch.conf"
echo '127.0.0.1 localhost guest' >"$root/etc/hosts"
echo guest >"$root/etc/hostname"

# Kernel and modules: the drivers of the devices the tests give QEMU, with what they depend on.
kver=$(ls "$stage/lib/modules")
modules=(qxl bochs snd-hda-intel snd-hda-codec-generic snd-intel8x0 virtio_console virtio_pci xhci-pci
  usb-storage sd_mod sr_mod uinput evdev)
declare -A modpath=()
while read -r p; do
  n=$(basename "$p" .ko)
  modpath[${n//-/_}]=$p
done < <(cd "$stage" && find "lib/modules/$kver" -name '*.ko')
declare -A modseen=()
addmod() {
  local n=${1//-/_}
  [[ -n ${modseen[$n]:-} ]] && return
  modseen[$n]=1
  local p=${modpath[$n]:-}
  [[ -n $p ]] || { echo "guest: kernel module $1 is not in $kpkg" >&2; exit 3; }
  mkdir -p "$root/$(dirname "$p")"
  cp "$stage/$p" "$root/$p"
  local d
  for d in $(readelf -p .modinfo "$stage/$p" | sed -n 's/.*\]  depends=\(.*\)$/\1/p' | tr ',' ' '); do
    addmod "$d"
  done
}
for m in "${modules[@]}"; do addmod "$m"; done
cp "$stage/lib/modules/$kver"/modules.{builtin,builtin.modinfo,order} "$root/lib/modules/$kver/"
"$bb" depmod -b "$root" "$kver"
# The bzImage's payload (located by its setup header) is the ELF vmlinux, compressed; Debian uses xz.
python3 - "$stage/boot/vmlinuz-$kver" "$work/vmlinux" <<'PY'
import lzma, struct, sys, zlib
d = open(sys.argv[1], "rb").read()
setup_sects = d[0x1f1] or 4
offset, length = struct.unpack_from("<II", d, 0x248)
payload = d[(setup_sects + 1) * 512 + offset:][:length]
if payload.startswith(b"\xfd7zXZ\x00"):
    out = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(payload)
elif payload.startswith(b"\x1f\x8b"):
    out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(payload)
else:
    sys.exit("guest: the kernel's payload is compressed in a way this script does not read: %r" % payload[:4])
if not out.startswith(b"\x7fELF"):
    sys.exit("guest: the kernel's payload is not an ELF file")
open(sys.argv[2], "wb").write(out)
PY

# What the tests show and play: pictures for /dev/fb0 and a tone (also published for the tests to compare).
python3 "$here/media.py" "$root/share"
install -m 755 "$here/init" "$root/init"

(cd "$root" && find . -mindepth 1 | sort | "$bb" cpio -o -H newc -R 0:0 2>/dev/null) >"$work/initrd.img"
mkdir -p "$work/result"
mv "$work/vmlinux" "$work/initrd.img" "$work/result/"
cp -a "$root/share" "$work/result/share"
rm -rf "$build"
mv "$work/result" "$build"
# Builds not used lately go (the four used last stay, so checkouts with different inits don't rebuild each
# other's guests over and over); the .debs stay for the next change.
ls -dt "$cache"/build-* | tail -n +5 | xargs -r rm -rf
publish
echo "guest: built $key in $(($(date +%s) - start)) s: vmlinux $(du -h "$build/vmlinux" | cut -f1)," \
  "initrd $(du -h "$build/initrd.img" | cut -f1) ($kver, ${#pkgs[@]} packages) in $out"
