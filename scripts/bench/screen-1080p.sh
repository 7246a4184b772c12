#!/usr/bin/env bash
# The screen source and the image encoders on a 1920x1080 screen that changes as a whole, measured
# (docs/bench.md, "Screen source at 1920x1080"). Starts Xvfb at 1920x1080 on a free display, a window there that
# shows a different full-screen picture (desktop or photo) 60 times a second, and `spice server --source
# screen:fps=60 --streaming-video off --image-compression auto_glz` pinned to CPU 0 (taskset), then links one
# viewer with `spice bench server --idle --server-pid` and prints what it measures: the frames the viewer got per
# second and the server's CPU. Frames per CPU-second of the server is the rate one core sustains, whatever else
# runs on the machine; on a machine of two CPUs or more Xvfb, the window and the viewer run on the others
# (taskset -c 1-), so that the server's core is its own.
#   scripts/bench/screen-1080p.sh [desktop|photo] [SECONDS]
# The server listens on 127.0.0.1 at $SCREEN_1080P_PORT if set (a port of one's own on a shared machine), else at
# 5990 + the display number modulo 100.
# Needs Xvfb and taskset; builds nothing: run `./spice --help` and
# `./mvnw -q -B -Pbench -pl org.spice.bench -am package -DskipTests` first.
set -euo pipefail
cd "$(dirname "$0")/../.."
content=${1:-desktop}
seconds=${2:-20}
jar=org.spice.bench/target/benchmarks.jar
[[ -f $jar ]] || { echo "error: $jar missing: ./mvnw -q -B -Pbench -pl org.spice.bench -am package -DskipTests" >&2; exit 2; }
display=
for d in $(seq 90 130); do
    if [[ ! -e /tmp/.X$d-lock && ! -e /tmp/.X11-unix/X$d ]]; then display=$d; break; fi
done
[[ -n $display ]] || { echo "error: no free X display in :90..:130" >&2; exit 2; }
port=${SCREEN_1080P_PORT:-$((5990 + display % 100))}
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true' EXIT
others=()
cpus=$(nproc)
(( cpus > 1 )) && others=(taskset -c "1-$((cpus - 1))")
"${others[@]}" Xvfb ":$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do [[ -e /tmp/.X11-unix/X$display ]] && break; sleep 0.1; done
DISPLAY=":$display" "${others[@]}" java -cp "$jar" org.spice.bench.FullScreenChanges "$content" 60 &
pids+=($!)
DISPLAY=":$display" taskset -c 0 ./spice server --source screen:fps=60 --listen "127.0.0.1:$port" \
    --streaming-video off --image-compression auto_glz >/dev/null 2>&1 &
server=$!
pids+=("$server")
for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
echo "screen 1920x1080 ($content, 60 changes a second), server pid $server on CPU 0, load $(cut -d' ' -f1-3 /proc/loadavg)"
out=$("${others[@]}" ./spice bench server --clients 1 --idle --seconds "$seconds" --server-pid "$server" \
    "spice://127.0.0.1:$port" 2>&1 | grep -v ' INFO ')
echo "$out"
# full screens = pixels drawn / 1920x1080; per CPU-second of the server = what one core of its own sustains
awk '/megapixels drawn a second median/ { mpx = $8 } /^server pid .*CPU/ { cpu = $5 }
     END { if (mpx == "" || cpu == "") { print "error: the bench printed no figures"; exit 1 }
           screens = mpx * 1e6 / (1920 * 1080)
           printf "full screens at the viewer: %.1f a second; server CPU %.1f %% of a core: %.1f full screens per CPU-second of the server\n", screens, cpu, screens * 100 / cpu }' <<<"$out"
