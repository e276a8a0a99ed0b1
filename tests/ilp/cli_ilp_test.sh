#!/usr/bin/env bash
# End to end: `dyadic ilp` on a small problem file. Usage: cli_ilp_test.sh <path to dyadic>
set -u
dyadic="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Four layers (c.down tied to b.conv1, labels in the other order), three metrics.
cat > "$work/problem.json" <<'JSON'
{ "layers": [
  { "name": "z.stem",  "choices": [ {"bits": 4, "sensitivity": 0.5,  "size_bits": 4, "bops": 16, "latency": 0.25},
                                    {"bits": 8, "sensitivity": 0.0,  "size_bits": 8, "bops": 64, "latency": 0.5} ] },
  { "name": "b.conv1", "choices": [ {"bits": 4, "sensitivity": 0.75, "size_bits": 4, "bops": 32, "latency": 0.25},
                                    {"bits": 8, "sensitivity": 0.125,"size_bits": 8, "bops": 64, "latency": 0.5} ] },
  { "name": "c.down",  "choices": [ {"bits": 8, "sensitivity": 0.0,  "size_bits": 2, "bops": 8,  "latency": 0.125},
                                    {"bits": 4, "sensitivity": 0.25, "size_bits": 1, "bops": 2,  "latency": 0.0625} ] },
  { "name": "a.fc",    "choices": [ {"bits": 4, "sensitivity": 0.25, "size_bits": 2, "bops": 8,  "latency": 0.125},
                                    {"bits": 8, "sensitivity": 0.0,  "size_bits": 4, "bops": 32, "latency": 0.25} ] } ],
  "ties": [ ["b.conv1", "c.down"] ],
  "budgets": { "latency": 1.5 } }
JSON

# bops range: all 4 = 16+32+2+8 = 58, all 8 = 64+64+8+32 = 168; --frac bops=0.5 -> 113.
"$dyadic" ilp "$work/problem.json" --frac bops=0.5 --frac size=1 --pareto 12 --pareto-metric bops \
    --out "$work/result.json" --csv "$work/front.csv" --plot "$work/front.svg" > "$work/stdout" 2> "$work/stderr" \
    || fail "dyadic ilp exited with $?: $(cat "$work/stderr")"
grep -q '"status": "OPTIMAL"' "$work/result.json" || fail "no OPTIMAL status in result.json"
grep -q '"bops": 113.0' "$work/result.json" || fail "--frac bops=0.5 should budget 113: $(cat "$work/result.json")"
# From all 8 (168 bops, sensitivity 0.125), going to 4 bits saves: z 48 bops (+0.5), b+c 38 (+0.875),
# a 24 (+0.25). No single change reaches 113; z with a gives 96 bops at 0.875, b+c with a 106 at 1.25,
# z with b+c 82 at 1.5.
order="$(sed -n '/"assignment"/,/}/p' "$work/result.json" | grep -o '"[a-z]\.[a-z0-9]*": [0-9]*' | tr '\n' ' ')"
[ "$order" = '"z.stem": 4 "b.conv1": 8 "c.down": 8 "a.fc": 4 ' ] || fail "assignment (input order): $order"
grep -q '"objective": 0.875' "$work/result.json" || fail "objective should be 0.875"
grep -q '"solve_time_s"' "$work/result.json" || fail "no solve time"
grep -q '^status OPTIMAL' "$work/stdout" || fail "no table on stdout"
[ "$(wc -l < "$work/front.csv")" -eq 13 ] || fail "front.csv should have a header and 12 rows"
head -1 "$work/front.csv" | grep -qx 'bops_budget,status,objective,size_bits,bops,latency' || fail "CSV header"
sed -n 2p "$work/front.csv" | grep -q '^58,OPTIMAL,1.75,' || fail "first sweep point: $(sed -n 2p "$work/front.csv")"
tail -1 "$work/front.csv" | grep -q '^168,OPTIMAL,0.125,' || fail "last sweep point: $(tail -1 "$work/front.csv")"
head -c 5 "$work/front.svg" | grep -q '<svg' || fail "front.svg is not an SVG"
tail -1 "$work/front.svg" | grep -qx '</svg>' || fail "front.svg is not complete"

# An infeasible budget: exit 1, the smallest achievable value (latency all 4: 0.25 + 0.3125 + 0.125),
# and no output file.
sed 's/"latency": 1.5/"latency": 0.5/' "$work/problem.json" > "$work/tight.json"
"$dyadic" ilp "$work/tight.json" --out "$work/none.json" > /dev/null 2> "$work/stderr"
[ $? -eq 1 ] || fail "an infeasible budget should exit 1"
grep -q "budget 'latency' <= 0.5 is infeasible: the smallest achievable latency is 0.6875" "$work/stderr" \
    || fail "infeasibility message: $(cat "$work/stderr")"
[ ! -e "$work/none.json" ] || fail "an infeasible problem must not write --out"

# Malformed input and wrong usage.
echo '{"layers": [' > "$work/broken.json"
"$dyadic" ilp "$work/broken.json" > /dev/null 2> "$work/stderr"
[ $? -eq 1 ] && grep -q "invalid JSON" "$work/stderr" || fail "malformed file: $(cat "$work/stderr")"
"$dyadic" ilp "$work/problem.json" --frac energy=0.5 > /dev/null 2> "$work/stderr"
[ $? -eq 1 ] && grep -q "unknown metric 'energy'" "$work/stderr" || fail "unknown metric: $(cat "$work/stderr")"
"$dyadic" ilp "$work/problem.json" --csv "$work/front2.csv" > /dev/null 2> "$work/stderr"
[ $? -eq 2 ] || fail "--csv without --pareto is a usage error"
echo "dyadic ilp end-to-end checks passed"
