#!/usr/bin/env bash
# Set up a development environment and run the main jobs. Usage: bash dev.sh demo|test|setup
# Safe to run again: every step checks what is already there.
set -euo pipefail
cd "$(dirname "$0")"

VENV=${QMS_VENV:-.venv}
PY="$VENV/bin/python"

system_packages() {
  # graphviz draws the process maps; chromium runs the browser tests of the published site.
  local missing=()
  command -v dot >/dev/null || missing+=(graphviz)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v git >/dev/null || missing+=(git)
  command -v ssh-keygen >/dev/null || missing+=(openssh-client)  # signed approvals
  command -v npm >/dev/null || missing+=(npm)  # axe-core and the third-party clients the tests check output with
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "== installing ${missing[*]} (Debian packages)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

python_env() {
  [ -x "$PY" ] || python3 -m venv "$VENV"
  if ! "$PY" -c "import qmskit, pytest, playwright, mypy, ruff" 2>/dev/null \
     || [ pyproject.toml -nt "$VENV/.installed" ]; then
    echo "== installing Python dependencies into $VENV"
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q -e ".[test]"
    touch "$VENV/.installed"
  fi
}

node_tools() {
  # The Node packages the tests use, pinned in tests/node/package-lock.json: axe-core (accessibility of the site,
  # injected into Chromium), yaml-language-server (editors), ajv (schemas), Microsoft's SARIF multitool (GitHub
  # code scanning). One `npm ci` into one folder, repeated only when the lock file changes.
  local dir="$VENV/node"
  if ! command -v npm >/dev/null; then
    echo "== npm not found: the tests that need Node packages will fail or be skipped (apt-get install npm)"
    return
  fi
  if ! cmp -s tests/node/package-lock.json "$dir/package-lock.json" || [ ! -d "$dir/node_modules" ]; then
    echo "== installing Node test tools into $dir"
    mkdir -p "$dir"
    cp tests/node/package.json tests/node/package-lock.json "$dir/"
    npm ci --no-audit --no-fund --silent --prefix "$dir"
    # npm does not run install scripts it was not told to trust; the multitool's only sets the executable bit
    chmod u+x "$dir"/node_modules/@microsoft/sarif-multitool-*/Sarif.Multitool 2>/dev/null || true
  fi
}

setup() { system_packages; python_env; node_tools; }

demo() {
  setup
  # The example manual is a snapshot of its company on 27 November 2026: judge its dates on that day.
  export QMS_TODAY=${QMS_TODAY:-2026-11-27}
  local out=out/example
  mkdir -p "$out"
  echo "== qms validate example_manual"
  "$VENV/bin/qms" validate example_manual
  for format in json sarif junit gitlab; do
    "$VENV/bin/qms" validate example_manual --format "$format" -o "$out/validate.$format"
  done
  echo "== qms diagram example_manual --all"
  "$VENV/bin/qms" diagram example_manual --all -o "$out/diagrams"
  echo "== qms report: KPIs, customers, order flow, management review, to-do lists"
  "$VENV/bin/qms" report kpi example_manual
  "$VENV/bin/qms" report customers example_manual -o "$out/customers.md"
  "$VENV/bin/qms" report flow example_manual -o "$out/flow.md"
  "$VENV/bin/qms" report review example_manual -f html -o "$out/management-review.html"
  "$VENV/bin/qms" todo example_manual -f markdown -o "$out/todo.md"
  echo "== qms build example_manual (the published manual)"
  "$VENV/bin/qms" build example_manual -o "$out/site"
  echo "== reports, diagrams and the site written to $out/ (open $out/site/index.html)"
}

screenshots() {
  setup
  # the browser tests save what they see; the README shows these pictures (the Finnish site's too)
  QMS_SCREENSHOTS=docs/screenshots "$PY" -m pytest tests/test_site.py tests/test_asof.py tests/test_i18n_site.py -q
  "$VENV/bin/qms" diagram example_manual -o docs/process-map.svg
  "$VENV/bin/qms" diagram example_manual -f png -o docs/process-map.png
  "$VENV/bin/qms" diagram example_manual --view chain -f png -o docs/value-chain.png
  "$VENV/bin/qms" diagram example_manual --view process --process production -f png -o docs/process-card-production.png
}

tests() {
  setup
  echo "== ruff"
  "$VENV/bin/ruff" check qmskit tests benchmarks tools
  echo "== mypy"
  "$VENV/bin/mypy" qmskit
  echo "== pytest"
  "$PY" -m pytest
}

case "${1:-}" in
  setup) setup ;;
  demo) demo ;;
  test) tests ;;
  screenshots) screenshots ;;
  *) echo "usage: bash dev.sh demo|test|setup|screenshots" >&2; exit 2 ;;
esac
