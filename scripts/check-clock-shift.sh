#!/bin/sh
# Proves that faketime really moves the clock Python reads by the given number of days,
# so the "year ahead" CI run cannot silently run on today's date.
set -e
days=$1
real=$(python3 -c 'import time; print(int(time.time()))')
shifted=$(faketime -f "+${days}d" python3 -c 'import time; print(int(time.time()))')
moved=$(( (shifted - real) / 86400 ))
if [ "$moved" -lt "$((days - 1))" ] || [ "$moved" -gt "$((days + 1))" ]; then
  echo "faketime moved the clock by $moved days, not $days" >&2
  exit 1
fi
echo "Clock moved ahead by $moved days: $(faketime -f "+${days}d" date -u +%Y-%m-%d)"
