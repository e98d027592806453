#!/usr/bin/env bash
# insights-service's unit tests (pytest, no network) and its lint (ruff). Writes the results as
# $RUN_DIR/test-results/pytest.json in the shape of vitest's JSON report (numPassedTests,
# numFailedTests, …), which .ci/run sums with the others, plus pytest's own JUnit XML beside it.
# Sets up the venv first when it is missing (scripts/setup-python.sh; seconds when cached).
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
SERVICE="$ROOT/services/insights-service"
[ -x "$SERVICE/.venv/bin/python" ] || bash "$ROOT/scripts/setup-python.sh"
out="$RUN_DIR/test-results"
mkdir -p "$out"
step "Python unit tests (insights-service: pytest)"
status=0
(cd "$SERVICE" && .venv/bin/python -m pytest -p no:cacheprovider --junitxml="$out/pytest.xml") || status=$?
# pytest exits 5 when it collected no test: that is a failure here, not a pass.
"$SERVICE/.venv/bin/python" - "$out/pytest.xml" "$out/pytest.json" "$status" <<'PY'
import json, sys, xml.etree.ElementTree as ET
xml_file, json_file, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
passed, failed, skipped, results = 0, 0, 0, []
try:
    cases = ET.parse(xml_file).getroot().iter("testcase")
except (OSError, ET.ParseError):
    cases = []
for case in cases:
    outcome = "passed"
    if case.find("failure") is not None or case.find("error") is not None:
        outcome, failed = "failed", failed + 1
    elif case.find("skipped") is not None:
        outcome, skipped = "pending", skipped + 1
    else:
        passed += 1
    results.append({"fullName": f"{case.get('classname')}::{case.get('name')}", "status": outcome})
total = passed + failed + skipped
report = {
    "numTotalTests": total, "numPassedTests": passed, "numFailedTests": failed, "numPendingTests": skipped,
    "numTodoTests": 0, "success": status == 0 and total > 0 and failed == 0,
    "testResults": [{"name": "services/insights-service (pytest)", "assertionResults": results}],
}
json.dump(report, open(json_file, "w"), indent=1)
print(f"    pytest: {passed} passed, {failed} failed, {skipped} skipped -> {json_file}", file=sys.stderr)
sys.exit(0 if report["success"] else 1)
PY
