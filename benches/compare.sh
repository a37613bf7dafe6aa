#!/usr/bin/env bash
# Whole-process timings of qprm on ten years of meetings (1M actions), set
# against what people would use instead, measured in the same run:
#   - the floor: the sqlite3 shell fetching the same rows from the same file
#     through the owner index with the owner's exact name;
#   - Taskwarrior 2.6 listing an owner's tasks among 50,000 actions imported
#     as tasks (owner as project);
#   - for the minutes of the latest meeting, the sqlite3 shell dumping the
#     same actions (carried forward and raised there) with their changes at
#     that meeting;
# plus search, kpi and decisions, the peak memory of each, and the meeting
# screen's first frame and peak memory (pseudo-terminal harness).
#
# Usage: benches/compare.sh            (RUNS=30 by default)
# Needs: the Rust toolchain; sqlite3 for the floor; optional: hyperfine (else
# a plain loop times each command), taskwarrior, GNU time (/usr/bin/time).
# On Debian/Ubuntu: apt-get install sqlite3 hyperfine taskwarrior time
# Files are kept in target/qprm-bench (the 1M-action database is ~700 MB);
# target/ is $CARGO_TARGET_DIR when that is set.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-30}
OWNER="Team Manager 3, service-03"
PROJECT="Team_Manager_3_service-03"
TARGET=${CARGO_TARGET_DIR:-target}
DIR=$TARGET/qprm-bench
BIG=${QPRM_BENCH_DB:-$DIR/big-10y-1m.db}
SMALL=$DIR/tw-50k.db
TASKDIR=$DIR/taskwarrior
QPRM=$TARGET/release/qprm

have() { command -v "$1" >/dev/null 2>&1; }

cargo build --release --quiet
mkdir -p "$DIR"
if [ ! -f "$BIG" ]; then
  echo "generating $BIG (10 years, 1M actions; once)..." >&2
  "$QPRM" generate --out "$BIG" --years 10 --actions 1000000 >&2
fi
# Any schema upgrade happens here, not inside a timed run.
"$QPRM" --db "$BIG" actions --owner "$OWNER" >/dev/null
LATEST=$("$QPRM" --db "$BIG" meeting list --json | sed -n 's/.*"date": *"\([0-9-]*\)".*/\1/p' | head -1)
LATEST_ID=$("$QPRM" --db "$BIG" meeting list --json | sed -n 's/^    "id": *\([0-9]*\).*/\1/p' | head -1)

# One line: hyperfine splits a command like a shell does.
FLOOR_SQL="SELECT a.ref, a.text, o.name AS owner, a.service_id, a.due, a.status, a.meeting_id,"
FLOOR_SQL+=" a.indicator_code, a.source, a.created_at, a.updated_at FROM owners o JOIN actions a ON a.owner_id = o.id"
FLOOR_SQL+=" WHERE o.name = '$OWNER' AND a.status IN ('open', 'in_progress') ORDER BY a.due, a.id"

# The minutes' floor: the latest meeting's actions (open ones from earlier
# meetings, those raised or closed there) with their changes at it, through
# the same indexes the minutes use for the history (action, then meeting).
DUMP_SQL="SELECT a.service_id, a.ref, a.text, o.name, a.due, a.status, h.at, h.field, h.old, h.new, h.note"
DUMP_SQL+=" FROM actions a JOIN owners o ON o.id = a.owner_id"
DUMP_SQL+=" LEFT JOIN action_history h ON h.action_id = a.id AND +h.meeting_id = $LATEST_ID"
DUMP_SQL+=" WHERE a.meeting_id <= $LATEST_ID AND (a.status IN ('open', 'in_progress') OR a.meeting_id = $LATEST_ID"
DUMP_SQL+=" OR a.id IN (SELECT action_id FROM action_history WHERE meeting_id = $LATEST_ID AND field = 'status'"
DUMP_SQL+=" AND new IN ('done', 'dropped'))) ORDER BY a.service_id, a.due, a.id"

# median_ms CMD...: median wall time of RUNS runs, in milliseconds.
median_ms() {
  # A failing command is reported, never timed.
  if ! "$@" >/dev/null 2>&1; then
    printf 'FAILED'
    return
  fi
  if have hyperfine; then
    local csv
    csv=$(mktemp)
    hyperfine -N --warmup 3 --runs "$RUNS" --export-csv "$csv" -- "$(printf '%q ' "$@")" >/dev/null 2>&1
    # command,mean,stddev,median,user,system,min,max in seconds; the command
    # may hold commas, so count from the end.
    awk -F, 'NR == 2 { printf "%.2f", $(NF - 4) * 1000 }' "$csv"
    rm -f "$csv"
  else
    local times=() i start end
    for i in 1 2 3; do "$@" >/dev/null 2>&1 || true; done
    for ((i = 0; i < RUNS; i++)); do
      start=$(date +%s%N)
      "$@" >/dev/null 2>&1 || true
      end=$(date +%s%N)
      times+=($(((end - start) / 1000)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] / 1000 }'
  fi
}

# peak_mb CMD...: peak resident memory of one run, in MB (GNU time).
peak_mb() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o /tmp/qprm-peak.$$ "$@" >/dev/null 2>&1 || true
    # The last line: GNU time puts "Command exited with…" first on failure.
    tail -n 1 /tmp/qprm-peak.$$ | awk '{ printf "%.1f", $1 / 1024 }'
    rm -f /tmp/qprm-peak.$$
  else
    printf 'n/a'
  fi
}

row() { printf '%-58s %10s ms %9s MB  %s\n' "$1" "$2" "$3" "${4:-}"; }

# ratio A B FORMAT: A/B in FORMAT, or a plain "no ratio" when either failed.
ratio() {
  case "$1$2" in
    *FAILED* | "") echo "no ratio: a command failed" ;;
    *) awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { printf f, a / b }' ;;
  esac
}

echo "qprm whole-process comparison, $(date -u +%Y-%m-%d), $RUNS runs each, medians"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
echo "database: $BIG ($(du -mL "$BIG" | cut -f1) MB); latest meeting $LATEST"
echo "timer: $(have hyperfine && hyperfine --version || echo 'shell loop')"
echo
printf '%-58s %13s %12s  %s\n' "command" "median" "peak memory" "ratio"

q_json=$(median_ms "$QPRM" --db "$BIG" actions --owner "$OWNER" --json)
if have sqlite3; then
  floor=$(median_ms sqlite3 -json "$BIG" "$FLOOR_SQL")
  row "sqlite3 shell, exact owner (the floor)" "$floor" "$(peak_mb sqlite3 -json "$BIG" "$FLOOR_SQL")"
  row "qprm actions --owner '$OWNER' --json" "$q_json" \
    "$(peak_mb "$QPRM" --db "$BIG" actions --owner "$OWNER" --json)" \
    "$(ratio "$q_json" "$floor" "%.2fx the floor (target <= 1.5x)")"
else
  row "qprm actions --owner '$OWNER' --json" "$q_json" "$(peak_mb "$QPRM" --db "$BIG" actions --owner "$OWNER" --json)" \
    "(install sqlite3 for the floor)"
fi
sub=$(median_ms "$QPRM" --db "$BIG" actions --owner "team manager 3" --json)
row "qprm actions --owner 'team manager 3' --json (2 owners)" "$sub" \
  "$(peak_mb "$QPRM" --db "$BIG" actions --owner "team manager 3" --json)"

q_table=$(median_ms "$QPRM" --db "$BIG" actions --owner "$OWNER")
row "qprm actions --owner '$OWNER'" "$q_table" "$(peak_mb "$QPRM" --db "$BIG" actions --owner "$OWNER")"
if have task && have sqlite3; then
  if [ ! -f "$TASKDIR/pending.data" ]; then
    echo "importing 50,000 actions into Taskwarrior (once)..." >&2
    [ -f "$SMALL" ] || "$QPRM" generate --out "$SMALL" --years 10 --actions 50000 >&2
    mkdir -p "$TASKDIR"
    # One task per action: owner as project, statuses and dates kept.
    sqlite3 -list "$SMALL" "SELECT json_patch(json_object(
        'description', a.text,
        'project', replace(replace(o.name, ', ', '_'), ' ', '_'),
        'status', CASE a.status WHEN 'done' THEN 'completed' WHEN 'dropped' THEN 'deleted' ELSE 'pending' END,
        'entry', strftime('%Y%m%dT%H%M%SZ', a.created_at),
        'modified', strftime('%Y%m%dT%H%M%SZ', a.updated_at),
        'due', strftime('%Y%m%dT000000Z', a.due)),
      CASE WHEN a.status IN ('done', 'dropped') THEN json_object('end', strftime('%Y%m%dT%H%M%SZ', a.updated_at)) ELSE '{}' END)
      FROM actions a JOIN owners o ON o.id = a.owner_id ORDER BY a.id" >"$DIR/tasks.jsonl"
    printf 'confirmation=off\nverbose=nothing\nhooks=off\nnews.version=2.6.2\n' >"$TASKDIR/taskrc"
    TASKRC="$TASKDIR/taskrc" TASKDATA="$TASKDIR" task import "$DIR/tasks.jsonl" >/dev/null
  fi
  export TASKRC="$TASKDIR/taskrc" TASKDATA="$TASKDIR"
  tw=$(median_ms task "project:$PROJECT" list)
  row "task project:$PROJECT list (Taskwarrior, 50k tasks)" "$tw" "$(peak_mb task "project:$PROJECT" list)" \
    "$(ratio "$tw" "$q_table" "qprm on 1M is %.0fx faster (target >= 40x)")"
else
  echo "(install taskwarrior and sqlite3 for the Taskwarrior comparison)"
fi

for args in "search supervision audit" "search health assessments" "search team manager" "search a" \
  "kpi --service service-03" "kpi S03-K1" "decisions --service service-03 --from 2025-01"; do
  # shellcheck disable=SC2086 # the words are the command's arguments
  row "qprm $args" "$(median_ms "$QPRM" --db "$BIG" $args)" "$(peak_mb "$QPRM" --db "$BIG" $args)"
done

minutes=$(median_ms "$QPRM" --db "$BIG" minutes "$LATEST")
if have sqlite3; then
  dump=$(median_ms sqlite3 "$BIG" "$DUMP_SQL")
  row "sqlite3 shell, the minutes' rows (the floor)" "$dump" "$(peak_mb sqlite3 "$BIG" "$DUMP_SQL")"
  row "qprm minutes $LATEST" "$minutes" "$(peak_mb "$QPRM" --db "$BIG" minutes "$LATEST")" \
    "$(ratio "$minutes" "$dump" "%.2fx the floor (target <= 1.5x)")"
else
  row "qprm minutes $LATEST" "$minutes" "$(peak_mb "$QPRM" --db "$BIG" minutes "$LATEST")" \
    "(install sqlite3 for the floor)"
fi

echo
if have sqlite3; then
  echo "floor's plan: $(sqlite3 "$BIG" "EXPLAIN QUERY PLAN $FLOOR_SQL" | tr '\n' ' ')"
fi
echo
# The meeting screen, from outside: exec to first frame, and peak memory.
QPRM_BENCH_DB="$BIG" RUNS=${SCREEN_RUNS:-11} cargo bench --quiet --bench startup 2>/dev/null
