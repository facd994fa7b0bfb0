#!/usr/bin/env bash
# Validates the monitoring files: alert rules (syntax and unit tests), the Prometheus config, and
# every PromQL expression of the Grafana dashboard (checked as recording rules by promtool); the
# HAProxy configuration (haproxy -c), and that the Kubernetes manifests agree with it and with the
# drain (probe path, preStop against the balancer's detection time, grace period, PDB, spread).
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

SQUAD_MCP_BIND=127.0.0.1:8000 SQUAD_MCP_1=10.0.0.1:8000 SQUAD_MCP_2=10.0.0.2:8000 SQUAD_MCP_3=10.0.0.3:8000 \
  HAPROXY_ADMIN_SOCKET=/run/haproxy/admin.sock haproxy -c -q -f haproxy/haproxy.cfg

python3 - haproxy/haproxy.cfg k8s <<'PY'
import re, sys, yaml

cfg, k8s = open(sys.argv[1]).read(), sys.argv[2]
def docs(name):
    return list(yaml.safe_load_all(open(f"{k8s}/{name}")))
def seconds(text):
    value, unit = re.fullmatch(r"(\d+)(ms|s)?", text).groups()
    return int(value) / (1000 if unit == "ms" else 1)

deployment = docs("deployment.yaml")[0]
settings = docs("configmap.yaml")[0]["data"]
pod = deployment["spec"]["template"]["spec"]
container = pod["containers"][0]
problems = []

check_path = re.search(r"http-check send meth GET uri (\S+)", cfg).group(1)
if container["readinessProbe"]["httpGet"]["path"] != check_path:
    problems.append(f"readinessProbe path differs from HAProxy's health check {check_path}")
server = re.search(r"default-server (.*)", cfg).group(1)
inter = seconds(re.search(r"\binter (\S+)", server).group(1))
fall = int(re.search(r"\bfall (\d+)", server).group(1))
pre_stop = int(container["lifecycle"]["preStop"]["exec"]["command"][-1])
if pre_stop < inter * fall:
    problems.append(f"preStop pause {pre_stop} s is shorter than HAProxy's detection ({inter} s x {fall})")
grace = float(settings["SHUTDOWN_GRACE_SECONDS"])
deadline = float(settings["API_DEADLINE_SECONDS"])
statement = float(settings["DB_STATEMENT_TIMEOUT_MS"]) / 1000
if grace <= deadline:
    problems.append(f"SHUTDOWN_GRACE_SECONDS {grace} is not above API_DEADLINE_SECONDS {deadline}")
if pod["terminationGracePeriodSeconds"] <= pre_stop + grace:
    problems.append(f"terminationGracePeriodSeconds is not above preStop {pre_stop} + SHUTDOWN_GRACE_SECONDS {grace}")
timeout_server = seconds(re.search(r"timeout server (\S+)", cfg).group(1))
if timeout_server <= max(deadline, statement):
    problems.append(f"HAProxy's timeout server {timeout_server} s does not outlast a call ({max(deadline, statement)} s)")
if deployment["spec"]["strategy"]["rollingUpdate"].get("maxUnavailable") != 0:
    problems.append("the rolling update may take a replica away before its successor is ready")
if {c["topologyKey"] for c in pod.get("topologySpreadConstraints", [])} < {"kubernetes.io/hostname", "topology.kubernetes.io/zone"}:
    problems.append("the replicas are not spread over nodes and zones")
if docs("pdb.yaml")[0]["spec"].get("maxUnavailable") != 1:
    problems.append("the PodDisruptionBudget does not keep all but one replica")
if problems:
    sys.exit("deploy/k8s disagrees with deploy/haproxy:\n  " + "\n  ".join(problems))
PY
