#!/usr/bin/env bash
# Makes an importable copy of the UCI online-shoppers file: the original has no id, email or date, which Tandem's people need.
# Adds three columns in front: id (the row number), email (visitor-N@shop.example, a placeholder), and visited: the session's
# month (the file's Month column) in one year, which the file does not give (2016 is used). Days are not in the file: each
# session is one minute after the previous one of its month, from the 1st, in file order. Nothing else is changed.
# Usage: samples/uci-online-shoppers/prepare.sh online_shoppers_intention.csv OUT.csv
set -euo pipefail
if [ $# -ne 2 ] || [ ! -f "$1" ]; then echo "usage: $0 online_shoppers_intention.csv OUT.csv" >&2; exit 2; fi
tr -d '\r' < "$1" | awk -F',' '
BEGIN { split("jan feb mar apr may jun jul aug sep oct nov dec", names, " "); for (i = 1; i <= 12; i++) month[names[i]] = i }
NR == 1 { print "id,email,visited," $0; next }
{
  n = month[tolower(substr($11, 1, 3))]
  if (n == 0) { print "line " NR ": unknown month " $11 > "/dev/stderr"; exit 1 }
  minute = seen[n]++
  printf "%d,visitor-%d@shop.example,2016-%02d-%02dT%02d:%02d:00Z,%s\n", NR - 1, NR - 1, n, 1 + int(minute / 1440), int(minute / 60) % 24, minute % 60, $0
}' > "$2"
