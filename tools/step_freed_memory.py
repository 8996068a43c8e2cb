"""One training step of ResNet-50 (224 px, batch 16, channels-last, Adam) with glibc's malloc as it is and after
`keep_freed_memory()`, in alternating fresh processes: step time, minor page faults and kernel time per step.

    python tools/step_freed_memory.py [--rounds 3] [--steps 6] [--out benchmarks/freed_memory.json]

Each process times `--steps` steps after one warm-up step. No number of the step changes (the same operations on the
same values); the JSON holds the per-step times of every process and the medians."""
import argparse, json, os, statistics, subprocess, sys

STEP = r"""
import json, resource, sys, time, torch, torchvision
from largeloss_fastai.core import keep_freed_memory
kept = keep_freed_memory() if sys.argv[1] == 'kept' else False
torch.manual_seed(0)
m = torchvision.models.resnet50(num_classes=80).to(memory_format=torch.channels_last)
opt = torch.optim.Adam(m.parameters(), lr=1e-5)
x = torch.randn(16, 3, 224, 224).to(memory_format=torch.channels_last); y = torch.rand(16, 80).round()
def step():
    opt.zero_grad(); loss = torch.nn.functional.binary_cross_entropy_with_logits(m(x), y); loss.backward(); opt.step()
step()
n = int(sys.argv[2]); ts = []
r0 = resource.getrusage(resource.RUSAGE_SELF)
for _ in range(n): t = time.perf_counter(); step(); ts.append(time.perf_counter() - t)
r1 = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps(dict(kept=kept, step_s=ts, minflt_per_step=(r1.ru_minflt - r0.ru_minflt) / n,
                      sys_s_per_step=(r1.ru_stime - r0.ru_stime) / n)))
"""

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--rounds', type=int, default=3, help='rounds of (as it is, kept) processes')
    ap.add_argument('--steps', type=int, default=6, help='timed steps per process')
    ap.add_argument('--out', default='benchmarks/freed_memory.json')
    a = ap.parse_args()
    runs = {'as_is': [], 'kept': []}
    for r in range(a.rounds):
        for kind in ('as_is', 'kept'):
            out = subprocess.run([sys.executable, '-c', STEP, 'kept' if kind == 'kept' else 'as_is', str(a.steps)],
                                 capture_output=True, text=True, check=True).stdout
            runs[kind].append(json.loads(out.strip().splitlines()[-1]))
            s = runs[kind][-1]
            print(f"round {r + 1} {kind:6}: median step {statistics.median(s['step_s']):.2f} s, "
                  f"{s['minflt_per_step']:.0f} page faults and {s['sys_s_per_step']:.2f} s in the kernel per step",
                  flush=True)
    med = {k: dict(median_step_s=round(statistics.median(t for s in v for t in s['step_s']), 3),
                   median_minflt_per_step=round(statistics.median(s['minflt_per_step'] for s in v)),
                   median_sys_s_per_step=round(statistics.median(s['sys_s_per_step'] for s in v), 3))
           for k, v in runs.items()}
    speedup = round(med['as_is']['median_step_s'] / med['kept']['median_step_s'], 2)
    res = dict(settings=vars(a), summary=med, speedup=speedup, runs=runs,
               machine=dict(cpus=os.cpu_count(), python=sys.version.split()[0], load_after=os.getloadavg()))
    json.dump(res, open(a.out, 'w'), indent=1)
    print(f"median step: {med['as_is']['median_step_s']} s as it is, {med['kept']['median_step_s']} s kept "
          f"({speedup}x); results in {a.out}")

if __name__ == '__main__': main()
