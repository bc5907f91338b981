#!/usr/bin/env bash
# Run the held-out evaluation against the assistant of an earlier commit, so that a
# sealed batch is measured before and after a change in the same session (README,
# "Evaluation"). The commit is checked out in a git worktree beside this one, with its
# own knowledge base and model (`make setup` there; Rasa's training cache is copied
# over, so a model this checkout has trained before is restored in seconds, and any
# other takes a full training, about six minutes on two cores). The judge,
# bot/heldout.py, is this checkout's: both runs are marked by the same rules.
#
#   scripts/eval_at.sh COMMIT [bot.evaluate arguments...]
#   scripts/eval_at.sh 6629494 --questions /tmp/sealed28/questions_fresh28.yml \
#       --dialogues /tmp/sealed28/dialogues_fresh28.yml --json /tmp/base28.json
#
# Pass file paths as absolute paths: the evaluation runs inside the worktree. The
# worktree ($EVAL_AT_DIR, default /tmp/langfang-eval-COMMIT) is kept for the next run;
# `git worktree remove --force DIR` deletes it.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
commit="$(git -C "$here" rev-parse --short "${1:?usage: scripts/eval_at.sh COMMIT [evaluate args]}")"
shift
dir="${EVAL_AT_DIR:-/tmp/langfang-eval-$commit}"

if [ ! -d "$dir" ]; then
  git -C "$here" worktree add --detach "$dir" "$commit"
  ln -s "$here/.venv" "$dir/.venv"  # same pinned dependencies; code is imported from $dir
  touch "$dir/.venv/.installed"
  if [ -d "$here/.rasa/cache" ]; then
    mkdir -p "$dir/.rasa" && cp -a "$here/.rasa/cache" "$dir/.rasa/cache"
  fi
fi
cp "$here/bot/heldout.py" "$dir/bot/heldout.py"

cd "$dir"
make --no-print-directory setup
exec .venv/bin/python -m bot.evaluate "$@"
