#!/usr/bin/env bash
# Linux build of the frozen app and its smoke test (SPEC §12). Windows and macOS: installer/README.md.
#
#   installer/build.sh            build installer/dist/sillage/ and smoke-test it
#   installer/build.sh --test     smoke-test an existing build only
#
# The smoke test: `--version`; a demo workspace created; its journal verified; a backup made
# and verified; the GUI started offscreen on that workspace and closed. It prints the bundle's
# size and start times.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=installer/dist
APP="$DIST/sillage/sillage"

if [[ "${1:-}" != "--test" ]]; then
    python3 -m venv installer/.venv-build
    installer/.venv-build/bin/pip install -q --upgrade pip
    installer/.venv-build/bin/pip install -q . "pyinstaller>=6.6"
    installer/.venv-build/bin/pyinstaller --noconfirm --clean --log-level WARN \
        --distpath "$DIST" --workpath installer/build installer/sillage.spec
fi

export QT_QPA_PLATFORM=offscreen
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SILLAGE_STATE_DIR="$tmp/state"

now() { date +%s.%N; }
t0=$(now); "$APP" --version; t1=$(now)
version_s=$(python3 -c "print(round($t1 - $t0, 2))")

"$APP" demo --workspace "$tmp/demo" --youths 20 --journal-rows 500 > "$tmp/accounts.tsv" 2> "$tmp/demo.log"
login=$(awk -F'\t' '$3=="direction"{print $1; exit}' "$tmp/accounts.tsv")
password=$(awk -F'\t' '$3=="direction"{print $2; exit}' "$tmp/accounts.tsv")
test -n "$login" && test -n "$password"
# every account's first step, as in the application (R-3.7): nothing answers it before
printf '%s\n' "$password" | "$APP" --workspace "$tmp/demo" --user "$login" --password-stdin charter --accept
printf '%s\n' "$password" | "$APP" --workspace "$tmp/demo" --user "$login" --password-stdin journal verify
printf '%s\n' "$password" | "$APP" --workspace "$tmp/demo" --user "$login" --password-stdin \
    backup create "$tmp/demo.sillage" 2> /dev/null
printf '%s\n' "$password" | "$APP" --workspace "$tmp/demo" --user "$login" --password-stdin \
    backup verify "$tmp/demo.sillage" 2> /dev/null

# The GUI: started offscreen, its login window drawn to a file, then closed (exit code 0).
t0=$(now)
SILLAGE_SCREENSHOT="$tmp/login.png" "$APP" --workspace "$tmp/demo"
t1=$(now)
test -s "$tmp/login.png"
gui_s=$(python3 -c "print(round($t1 - $t0 - 0.5, 2))")  # the screenshot is taken 0.5 s after

size=$(du -sm "$DIST/sillage" | cut -f1)
echo "Smoke test passed."
echo "Bundle: $DIST/sillage, ${size} MiB; --version in ${version_s} s; GUI up to its login window in about ${gui_s} s."
