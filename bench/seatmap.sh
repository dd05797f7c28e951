#!/usr/bin/env bash
# The seat map of the 100 x 200 hall (20,000 seats) in headless Chromium (Debian's chromium and
# chromium-driver), five page loads: time from navigation start until the seat map is drawn and
# then painted and answering input; 2,000 seats held through the API at once (40 holds of 50
# from 8 threads) until the map shows them all; and 2,000 changes handed to the map until they
# are painted. Median and max, written to target/seatmap.md (the README quotes them).
# SeatMapMeasurement is no test (its name keeps it out of ./mvnw verify); it runs only here.
set -euo pipefail
cd "$(dirname "$0")/.."
CI=true ./mvnw -B -ntp -q test -Dtest=SeatMapMeasurement -Dsurefire.failIfNoSpecifiedTests=false
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> target/seatmap.md
cat target/seatmap.md
