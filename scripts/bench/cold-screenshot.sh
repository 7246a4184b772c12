#!/usr/bin/env bash
# Cold one-shot screenshots: runs `./spice screenshot URI` N times, each a new process, alternating run by run with
# spicy-screenshot (and with the `spice` of other checkouts given by --also, e.g. one built from main), and prints
# each run's wall time, CPU time (user+sys) and peak RSS from /usr/bin/time, then their medians. CPU time and RSS
# hardly move with the machine's load; wall time does, so the load average is printed with every run.
#
#   scripts/bench/cold-screenshot.sh [-n RUNS] [--also DIR]... [--env NAME=VALUE]... spice://HOST:PORT [-- OPTIONS]
#
# OPTIONS are passed to `spice screenshot` (e.g. --cursor). A run of ours whose runtime jar has no class-data
# archive yet writes one at its exit (slower, larger): the first round is a warm-up, run and not counted.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs=7
clients=("$root")
envs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    --also) clients+=("$(cd "$2" && pwd)"); shift 2 ;;
    --env) envs+=("$2"); shift 2 ;;
    -*) echo "usage: $0 [-n RUNS] [--also DIR]... [--env NAME=VALUE]... spice://HOST:PORT [-- OPTIONS]" >&2; exit 2 ;;
    *) break ;;
  esac
done
uri="${1:?usage: $0 [-n RUNS] [--also DIR]... spice://HOST:PORT [-- OPTIONS]}"
shift
[[ "${1:-}" == -- ]] && shift
hostport="${uri#spice://}"
host="${hostport%:*}"
port="${hostport##*:}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
command -v spicy-screenshot >/dev/null || { echo "no spicy-screenshot (scripts/install-peers.sh)" >&2; exit 1; }

# one run: NAME then the command; appends "wall cpu rss" to $out/NAME.txt (unless warm-up) and prints the run
measure() {
  local name="$1" count="$2"
  shift 2
  if ! /usr/bin/time -f '%e %U %S %M' -o "$out/time" "$@" >"$out/log" 2>&1; then
    echo "$name: failed" >&2
    cat "$out/log" >&2
    return 1
  fi
  read -r wall user sys rss <"$out/time"
  local cpu
  cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
  printf '%-28s wall %5.2f s  cpu %5.2f s (user %s sys %s)  rss %6.1f MB  load %s%s\n' "$name" "$wall" "$cpu" \
    "$user" "$sys" "$(awk -v k="$rss" 'BEGIN { print k / 1000 }')" "$(cut -d' ' -f1 /proc/loadavg)" \
    "$([[ $count == 1 ]] || echo '  (warm-up, not counted)')"
  [[ $count == 1 ]] && echo "$wall $cpu $rss" >>"$out/$name.txt"
  return 0
}

echo "cold screenshots of $uri, $runs rounds, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
for ((i = 0; i <= runs; i++)); do
  count=$([[ $i == 0 ]] && echo 0 || echo 1)
  for dir in "${clients[@]}"; do
    name="spice:$(git -C "$dir" rev-parse --short HEAD 2>/dev/null || basename "$dir")"
    measure "$name" "$count" env "${envs[@]}" "$dir/spice" screenshot "$@" "$uri" "$out/ours.png"
  done
  measure spicy-screenshot "$count" spicy-screenshot -h "$host" -p "$port" -o "$out/spicy.ppm"
done
echo "medians over $runs runs (load now $(cut -d' ' -f1-3 /proc/loadavg)):"
for f in "$out"/*.txt; do
  name="$(basename "$f" .txt)"
  for col in 1 2 3; do
    sort -n -k"$col" "$f" | awk -v c="$col" '{ v[NR] = $c } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
  done | { read -r w; read -r c; read -r r; printf '%-28s wall %5.2f s  cpu %5.2f s  rss %6.1f MB\n' "$name" "$w" "$c" \
    "$(awk -v k="$r" 'BEGIN { print k / 1000 }')"; }
done
