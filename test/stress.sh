#!/bin/sh
# `npm run test:stress`: the whole suite (`npm test`) beside four CPU-burning processes on this machine's
# cores, as on a loaded CI runner. Each burner also ends by itself once this script is gone, however it ended.
set -u
cd "$(dirname "$0")/.."
burners=${STRESS_BURNERS:-4}
parent=$$
pids=""
i=0
while [ "$i" -lt "$burners" ]; do
  sh -c 'while kill -0 "$1" 2>/dev/null; do n=0; while [ "$n" -lt 200000 ]; do n=$((n + 1)); done; done' burner "$parent" &
  pids="$pids $!"
  i=$((i + 1))
done
stop_burners() { kill $pids 2>/dev/null; }
trap stop_burners EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
echo "test:stress: npm test beside $burners CPU-burning processes" >&2
npm test "$@"
