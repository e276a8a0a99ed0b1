#!/usr/bin/env bash
# Per-operand bit allocation on the bundled Fashion-MNIST model: do ILP-mixed (weight, activation)
# pairs beat uniform W4A4 at equal BOPS, and at equal energy? Sensitivities of every layer's weights
# and input -> ILP problem over per-operand candidates (size, BOPS, SystemC latency and energy) ->
# ILP at BOPS budgets that are multiples of uniform W4A4's (one at W4A4's BOPS and size), and at
# energy budgets that are multiples of W4A4's -> quantize each choice ->
# integer-only top-1 on the test split with its standard error, and the paired difference with
# uniform W4A4 on the same images (McNemar: sqrt(b + c - (b - c)^2 / n) / n). Everything goes to the output
# directory; a sensitivity.json already there is reused (it is the slow step).
# usage: scripts/ilp-operand-study.sh [out_dir] [test_images]    (CANDIDATES=w8a8,... to change the set)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/ilp-operand-study}
count=${2:-10000}
candidates=${CANDIDATES:-w8a8,w8a4,w4a8,w4a4,w2a8,w8a2,w2a4,w4a2}
model=models/fmnist_resnet.onnx
dyadic=build/cli/dyadic
mkdir -p "$out"

[ -f "$out/sensitivity.json" ] ||
  $dyadic sensitivity "$model" --images 256 --samples 32 --bits 2,4,8 --json "$out/sensitivity.json" >"$out/sensitivity.txt"
$dyadic quantize "$model" --bits w8a8 --output "$out/w8a8.dyqm" >/dev/null
$dyadic latency-table "$out/w8a8.dyqm" --backend sim --bits "$candidates" --json "$out/latency.json"
$dyadic ilp-problem "$model" --sensitivity "$out/sensitivity.json" --latency "$out/latency.json" \
  --candidates "$candidates" --out "$out/problem.json" >/dev/null

# Budgets relative to uniform W4A4's totals, read off the problem file.
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
problem = json.load(open(f"{out}/problem.json"))
def total(metric, label):
    return sum(next(c[metric] for c in layer["choices"] if c["bits"] == label) for layer in problem["layers"])
w4a4 = {m: total(m, "w4a4") for m in ("bops", "size_bits", "energy")}
budgets = {f"bops_{s}": {"bops": float(s) * w4a4["bops"]} for s in ("0.75", "1.0", "1.25", "1.5")}
budgets["bops_size_1.0"] = {"bops": w4a4["bops"], "size_bits": w4a4["size_bits"]}
budgets.update({f"energy_{s}": {"energy": float(s) * w4a4["energy"]} for s in ("1.0", "1.05", "1.1")})
for name, budget in budgets.items():
    json.dump(dict(problem, budgets=budget), open(f"{out}/problem_{name}.json", "w"), indent=1)
json.dump(w4a4, open(f"{out}/w4a4_totals.json", "w"))
PY

configs=(w8a8 w4a4)
for name in bops_0.75 bops_1.0 bops_1.25 bops_1.5 bops_size_1.0 energy_1.0 energy_1.05 energy_1.1; do
  $dyadic ilp "$out/problem_$name.json" --out "$out/ilp_$name.json" >/dev/null
  configs+=("$out/ilp_$name.json")
done

# Integer-only top-1 of each configuration (two at a time: the evaluation dominates the run).
evaluate() {
  local bits=$1 tag
  tag=$(basename "$bits" .json)
  $dyadic quantize "$model" --bits "$bits" --output "$out/$tag.dyqm" >/dev/null
  $dyadic eval "$out/$tag.dyqm" --count "$count" --json >"$out/eval_$tag.json"
  # Per-image predictions, for the paired comparison with uniform W4A4 below.
  $dyadic run "$out/$tag.dyqm" --count "$count" --json |
    python3 -c 'import json, sys; print(json.dumps([r["predicted"] == r["label"] for r in json.load(sys.stdin)["results"]]))' \
      >"$out/correct_$tag.json"
  echo "evaluated $tag" >&2
}
export -f evaluate
export dyadic model out count
printf '%s\n' "${configs[@]}" | xargs -P 2 -I{} bash -c 'evaluate {}'

python3 - "$out" "${configs[@]}" <<'PY' | tee "$out/accuracy.txt"
import json, math, sys
out, configs = sys.argv[1], sys.argv[2:]
problem = json.load(open(f"{out}/problem.json"))
w4a4 = json.load(open(f"{out}/w4a4_totals.json"))
baseline = json.load(open(f"{out}/correct_w4a4.json"))
rows = []
for config in configs:
    tag = config.split("/")[-1].removesuffix(".json")
    if config.endswith(".json"):
        assignment = json.load(open(config))["assignment"]
    else:
        assignment = {layer["name"]: config for layer in problem["layers"]}
    totals = {"bops": 0, "size_bits": 0, "latency": 0.0, "energy": 0.0, "sensitivity": 0.0}
    for layer in problem["layers"]:
        choice = next(c for c in layer["choices"] if c["bits"] == assignment[layer["name"]])
        for metric in ("bops", "size_bits", "latency", "energy"):
            totals[metric] += choice[metric]
        totals["sensitivity"] += choice["sensitivity"]
    result = json.load(open(f"{out}/eval_{tag}.json"))
    top1, n = result["integer_top1"], result["images"]
    # Paired with W4A4 on the same images: b images only this one gets right, c only W4A4 does.
    correct = json.load(open(f"{out}/correct_{tag}.json"))
    assert len(correct) == n and sum(correct) == round(top1 * n), tag
    b = sum(1 for x, y in zip(correct, baseline) if x and not y)
    c = sum(1 for x, y in zip(correct, baseline) if y and not x)
    rows.append({"configuration": tag, "bits": [assignment[l["name"]] for l in problem["layers"]],
                 "vs_w4a4": (b - c) / n, "vs_w4a4_standard_error": math.sqrt(b + c - (b - c) ** 2 / n) / n,
                 "only_this_correct": b, "only_w4a4_correct": c,
                 "bops": totals["bops"], "bops_vs_w4a4": totals["bops"] / w4a4["bops"],
                 "size_bits": totals["size_bits"], "latency_cycles": totals["latency"],
                 "energy_pj": totals["energy"], "energy_vs_w4a4": totals["energy"] / w4a4["energy"],
                 "sensitivity": totals["sensitivity"], "images": n, "integer_top1": top1,
                 "standard_error": math.sqrt(top1 * (1 - top1) / n)})
json.dump(rows, open(f"{out}/accuracy.json", "w"), indent=1)
print("| configuration | bits per layer | BOPS/image | x W4A4 | weights KiB | cycles | energy uJ | x W4A4 | sum Omega | integer top-1 (+- s.e.) | minus W4A4, paired (+- s.e.) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['configuration']} | {' '.join(r['bits'])} | {r['bops'] / 1e6:.1f} M | {r['bops_vs_w4a4']:.2f} | "
          f"{r['size_bits'] / 8192:.1f} | {r['latency_cycles']:.0f} | {r['energy_pj'] / 1e6:.2f} | "
          f"{r['energy_vs_w4a4']:.3f} | {r['sensitivity']:.3g} | "
          f"{100 * r['integer_top1']:.2f}% +- {100 * r['standard_error']:.2f} | "
          f"{100 * r['vs_w4a4']:+.2f} +- {100 * r['vs_w4a4_standard_error']:.2f} |")
PY
