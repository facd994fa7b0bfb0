#!/usr/bin/env bash
# Validates the monitoring files: alert rules (syntax and unit tests), the Prometheus config, and
# every PromQL expression of the Grafana dashboard (checked as recording rules by promtool).
set -euo pipefail
cd "$(dirname "$0")"

promtool check rules prometheus/alerts.yml
promtool test rules prometheus/alerts.test.yml
promtool check config prometheus/prometheus.yml

rules=$(mktemp --suffix=.yml)
trap 'rm -f "$rules"' EXIT
python3 - grafana/squad-mcp-dashboard.json > "$rules" <<'PY'
import json, sys
dashboard = json.load(open(sys.argv[1]))
print("groups:\n  - name: dashboard-expressions\n    rules:")
for panel in dashboard["panels"]:
    for index, target in enumerate(panel.get("targets", [])):
        print(f"      - record: dashboard:panel_{panel['id']}_{index}")
        print(f"        expr: {json.dumps(target['expr'])}")
PY
promtool check rules "$rules"
