"""Real-data benchmarks: every training scheme on a real dataset over several seeds, with `largeloss-train`'s settings.

Usage: python tools/bench_real.py {corel5k,posters} [--data DIR] [--seeds 0 1 2] [--schemes full AN LL-R ...]

Each run is the `largeloss-train` command printed beside it (the same flags build the same loaders, learner and
protocol), and adds one measure: the test mAP over the classes that have a test positive (`test_map_present`), since
`test_map` follows the reference code and counts a class without any test positive as 0. Results go to
benchmarks/<name>.json (one record per run, written after each run so that an interrupted benchmark keeps what it did)
and a bar chart benchmarks/<name>.png; finished runs are not repeated."""
import argparse, json, sys, time, warnings
from pathlib import Path
import numpy as np
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from fastai.basics import set_seed
from largeloss_fastai.cli import resolve_args, build_dls, build_learner
from largeloss_fastai.learner import fit_protocol
from largeloss_fastai.metrics import average_precision

SHARED = REPO.parent/'shared'/'data'
BENCHES = {  # name: (default data folder, flags of largeloss-train, schemes)
    'corel5k': (SHARED/'corel5k', ['--dataset', 'arff'], ['full', 'AN', 'LL-R', 'LL-Ct', 'LL-Cp']),
    # posters: a small CNN from scratch at 64 px (no ImageNet weights here); delta_rel 0.5 from the noise rate: a single
    # positive hides 1.33 of 25 genres per poster (5.3 % of the entries), which 0.5 %/epoch reaches in the last epochs
    'posters': (SHARED/'movie_posters', ['--dataset', 'csv', '--image_template', 'images/{}.jpg', '--arch', 'demo', '--size', '64',
                                         '--lr', '5e-4', '--num_epochs', '10', '--max_drop', 'none', '--delta_rel', '0.5'],
                ['full', 'AN', 'LL-R']),
}

def map_present(p, t):
    "mAP in percent over the classes with at least one positive"
    return float(100 * average_precision(p, t)[t.sum(0) > 0].mean())

def flags_of(bench, data, scheme, seed):
    _, flags, _ = BENCHES[bench]
    f = [*flags, '--data_path', str(data), '--seed', str(seed)]
    f += ['--train_set_variant', 'clean'] if scheme == 'full' else ['--mod_scheme', scheme]
    if scheme in ('full', 'AN') and '--delta_rel' in f: i = f.index('--delta_rel'); f = f[:i] + f[i + 2:]
    return f

def run(flags):
    args = resolve_args(flags + ['--out', '/dev/null'])
    set_seed(args.seed, reproducible=True)
    t0 = time.time()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        dls = build_dls(args)
    learn = build_learner(args, dls)
    res = fit_protocol(learn, args.num_epochs, max_drop=args.max_drop, test_metrics={'test_map_present': map_present})
    return dict(test_map=res['test_map'], test_map_present=res['test_map_present'], val_map_best=res['val_map_best'],
                best_epoch=res['best_epoch'], epochs_run=res['epochs_run'], wall_s=round(time.time() - t0, 1))

def plot(bench, recs, fname):
    schemes = list(dict.fromkeys(r['scheme'] for r in recs))
    fig, axs = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, key, title in zip(axs, ('test_map', 'test_map_present'), ('test mAP (absent classes count 0)', 'test mAP (classes with a test positive)')):
        v = [[r[key] for r in recs if r['scheme'] == s] for s in schemes]
        m, sd = [np.mean(x) for x in v], [np.std(x, ddof=1) if len(x) > 1 else 0 for x in v]
        ax.bar(schemes, m, yerr=sd, capsize=4, color=['tab:gray', 'tab:red', 'tab:blue', 'tab:orange', 'tab:purple'][:len(schemes)])
        for i, x in enumerate(v): ax.plot([i] * len(x), x, 'k.', ms=4)
        lo = min(min(x) for x in v); hi = max(max(x) for x in v)
        ax.set(ylim=(lo - (hi - lo) * 0.6 - 0.5, hi + (hi - lo) * 0.3 + 0.5), ylabel='mAP (%)', title=f'{bench}: {title}')
    fig.suptitle(f"{bench}: mean and sd over seeds {sorted(set(r['seed'] for r in recs))} (dots: single runs)", y=1.0)
    fig.tight_layout(); fig.savefig(fname, dpi=110)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('bench', choices=list(BENCHES)); p.add_argument('--data', default=None)
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2]); p.add_argument('--schemes', nargs='+', default=None)
    a = p.parse_args()
    data = Path(a.data or BENCHES[a.bench][0])
    if not data.is_dir(): sys.exit(f"error: data folder {data} does not exist")
    out = REPO/'benchmarks'/f'{a.bench}.json'; out.parent.mkdir(exist_ok=True)
    recs = json.loads(out.read_text()) if out.exists() else []
    for seed in a.seeds:
        for scheme in a.schemes or BENCHES[a.bench][2]:
            flags = flags_of(a.bench, data, scheme, seed)
            if any(r['scheme'] == scheme and r['seed'] == seed for r in recs): continue
            print('largeloss-train ' + ' '.join(flags), flush=True)
            recs.append(dict(scheme=scheme, seed=seed, command='largeloss-train ' + ' '.join(flags), **run(flags)))
            print(f"  {scheme} seed {seed}: test mAP {recs[-1]['test_map']:.2f}, over present classes {recs[-1]['test_map_present']:.2f}, "
                  f"{recs[-1]['wall_s']} s", flush=True)
            out.write_text(json.dumps(recs, indent=1))
    plot(a.bench, recs, out.with_suffix('.png'))
    for s in dict.fromkeys(r['scheme'] for r in recs):
        v = [r for r in recs if r['scheme'] == s]
        f = lambda k: f"{np.mean([r[k] for r in v]):.2f} ± {np.std([r[k] for r in v], ddof=1) if len(v) > 1 else 0:.2f}"
        print(f"{s:6} n={len(v)}  test mAP {f('test_map')}  present classes {f('test_map_present')}")

if __name__ == '__main__': main()
