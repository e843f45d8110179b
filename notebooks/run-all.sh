#!/usr/bin/env bash
# Executes every notebook in notebooks/ top to bottom on the tslab TypeScript kernel, offline
# (models are served by the loopback simulator), and fails on the first cell error of any
# notebook. Executed copies go to a temporary directory: the committed notebooks stay clean,
# and check-clean.mjs fails if one carries outputs.
#
# Installs nothing. Needs:
#   - Jupyter's nbconvert (Debian: apt-get install -y jupyter-nbconvert python3-ipykernel)
#   - tslab and its kernel spec (npm install --no-save tslab && npx tslab install --python=/usr/bin/python3)
#
# Usage: bash notebooks/run-all.sh [notebook.ipynb …]     (MOA_NOTEBOOKS_SKIP_BUILD=1 skips `npm run build`)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export PATH="$root/node_modules/.bin:$PATH"
# Tracing stays off: a notebook must never try to reach a LangSmith endpoint.
export LANGSMITH_TRACING=false LANGCHAIN_TRACING_V2=false
# Quiet the debugger notice Debian's Python prints when a kernel starts.
export PYDEVD_DISABLE_FILE_VALIDATION=1

if [ "$#" -gt 0 ]; then notebooks=("$@"); else notebooks=(notebooks/*.ipynb); fi

node notebooks/check-clean.mjs "${notebooks[@]}"

if ! command -v jupyter >/dev/null 2>&1; then
  echo "run-all: jupyter not found; install it with: apt-get install -y jupyter-nbconvert python3-ipykernel" >&2
  exit 1
fi
# Read the kernel list first: `grep -q` closing the pipe early would fail the check under pipefail.
kernels=$(jupyter kernelspec list 2>/dev/null || true)
if ! command -v tslab >/dev/null 2>&1 || ! grep -qE '^\s*tslab\s' <<<"$kernels"; then
  echo "run-all: the tslab kernel is missing; install it with: npm install --no-save tslab && npx tslab install --python=/usr/bin/python3" >&2
  exit 1
fi

# The notebooks import the repository's build (../dist/src/…).
if [ "${MOA_NOTEBOOKS_SKIP_BUILD:-0}" != 1 ]; then npm run build --silent; fi

executed=$(mktemp -d)
trap 'rm -rf "$executed"' EXIT
failed=()
for notebook in "${notebooks[@]}"; do
  echo "run-all: executing $notebook"
  started=$SECONDS
  # nbconvert runs the kernel in the notebook's directory, as Jupyter does.
  if jupyter nbconvert --to notebook --execute "$notebook" \
    --output-dir "$executed" \
    --ExecutePreprocessor.kernel_name=tslab \
    --ExecutePreprocessor.timeout=300 \
    --log-level=WARN; then
    echo "run-all: ok $notebook ($((SECONDS - started)) s)"
  else
    echo "run-all: FAILED $notebook" >&2
    failed+=("$notebook")
  fi
done

total=${#notebooks[@]}
echo "$((total - ${#failed[@]})) passed, ${#failed[@]} failed"
[ "${#failed[@]}" -eq 0 ]
