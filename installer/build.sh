#!/usr/bin/env bash
# Linux build of the frozen app and its smoke test (SPEC §12). Windows/macOS: see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv-build
.venv-build/bin/pip install -q -e . pyinstaller
.venv-build/bin/pyinstaller --noconfirm --distpath dist --workpath build installer/sillage.spec
app=dist/sillage/sillage
"$app" --version
tmp=$(mktemp -d)
QT_QPA_PLATFORM=offscreen "$app" demo --workspace "$tmp/demo" --youths 5 --journal-rows 50 > "$tmp/accounts.tsv"
login=$(awk -F'\t' '$3=="direction"{print $1}' "$tmp/accounts.tsv")
password=$(awk -F'\t' '$3=="direction"{print $2}' "$tmp/accounts.tsv")
printf '%s\n' "$password" | "$app" --workspace "$tmp/demo" --user "$login" --password-stdin journal verify
QT_QPA_PLATFORM=offscreen SILLAGE_SCREENSHOT="$tmp/login.png" "$app" --workspace "$tmp/demo"
test -s "$tmp/login.png"
echo "Smoke test passed: $tmp"
