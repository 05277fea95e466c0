#!/bin/sh
# Run the shared scorer (../shared/eval/score.py) on this corpus.
# The scorer reads NAME.txt + NAME.eval.json; our files are NAME.expected.json, so they are
# copied with the scorer's suffix into a temporary directory first.
#
# usage: tests/corpus/score_own.sh [--verbose]        (from the repository root)
#   SCORER=/path/to/score.py   DEFKG_CMD="python -m defkg"   to override the defaults
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
scorer=${SCORER:-$root/../shared/eval/score.py}
cmd=${DEFKG_CMD:-$root/.venv/bin/python -m defkg}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for gold in "$here"/*.expected.json; do
    name=$(basename "$gold" .expected.json)
    cp "$here/$name.txt" "$tmp/$name.txt"
    cp "$gold" "$tmp/$name.eval.json"
done
python3 "$scorer" "$tmp" --cmd "$cmd" "$@"
