#!/usr/bin/env bash
# Count how much `Any` the library carries (issue 16, "fewer Any").
#
#   bash tools/count_any.sh            # both counts
#
# 1. Lines of src/ that spell the word `Any` (annotations and imports).
# 2. Expressions whose type mypy infers as `Any`, from mypy's own any-exprs report
#    (same configuration as `mypy` in CI: pyproject.toml [tool.mypy]). The per-module
#    table is left in $REPORT_DIR/any-exprs.txt.
#
# Not part of CI: a measuring tool for maintainers.
set -euo pipefail
cd "$(dirname "$0")/.."
REPORT_DIR="${REPORT_DIR:-$(mktemp -d)}"

echo "lines naming Any in src/:  $(grep -rnw Any src | wc -l)"
mypy --any-exprs-report "$REPORT_DIR" >/dev/null
total=$(awk '$1 == "Total" {print $2, $3}' "$REPORT_DIR/any-exprs.txt")
read -r anys exprs <<<"$total"
echo "mypy Any expressions:      $anys of $exprs"
echo "(per-module table: $REPORT_DIR/any-exprs.txt)"
