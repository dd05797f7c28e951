#!/usr/bin/env bash
# The seat map of the 100 x 200 hall (20,000 seats) in headless Chromium (Debian's chromium and
# chromium-driver): time until the event page's seat map answers input, and time to paint a
# burst of 1,000 seat changes. Median and max of five page loads, written to target/seatmap.md
# (the README quotes them).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q test -Dtest=SeatMapMeasurement -Dsurefire.failIfNoSpecifiedTests=false
cat target/seatmap.md
