"""The leaderboard: every method of the library on the embedded demo data and on corel5k (features), 3 seeds.

Usage: python tools/leaderboard.py [--datasets demo corel5k] [--seeds 0 1 2] [--methods AN LL-R ...] [--jobs 2]

Each run is `largeloss-train` through `analysis.analysis_run` (settings from `analysis.leaderboard_settings`), cached in
nbs/runs/analysis/<dataset>/ with the analysis notebooks' runs, so finished runs are loaded, not repeated, and
nbs/17_leaderboard.ipynb shows the same runs. `--jobs 2` trains two runs at a time with one thread each (on 2 cores
that is faster than one run with two threads for the demo's small CNN). Writes benchmarks/leaderboard.json (every run
and the table per dataset) and benchmarks/leaderboard.png, and prints the tables in Markdown."""
import argparse, json, os, sys, warnings
from multiprocessing import get_context
from pathlib import Path
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATASETS = {'demo': ('demo', None), 'corel5k': ('arff', '../../shared/data/corel5k')} # name: (--dataset, --data_path relative to nbs/, as in the notebook)

def _job(job):
    "Train or load one run in a worker with one thread"
    import torch; torch.set_num_threads(1)
    os.chdir(REPO/'nbs') # the runs of the notebooks: runs/analysis/<dataset>/..., relative as they name them
    from largeloss_fastai.analysis import leaderboard
    name, method, seed = job
    ds, path = DATASETS[name]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        r = leaderboard(ds, path, seeds=(seed,), methods=[method])
    print(f"{name} {method} seed {seed}: test mAP {r.test_map.iloc[0]:.2f} ({r.wall_s.iloc[0]:.0f} s)", flush=True)
    return name, r

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--datasets', nargs='+', default=list(DATASETS), choices=list(DATASETS))
    p.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    p.add_argument('--methods', nargs='+', default=None, help='default: every method that applies to the dataset')
    p.add_argument('--jobs', type=int, default=1, help='runs trained at a time, one thread each when more than 1')
    args = p.parse_args(argv)
    from largeloss_fastai.analysis import leaderboard_methods, leaderboard_table, plot_leaderboard
    names = [n for n in args.datasets if DATASETS[n][1] is None or (REPO/'nbs'/DATASETS[n][1]).is_dir()]
    for n in set(args.datasets) - set(names): print(f"skipping {n}: {DATASETS[n][1]} is not there")
    jobs = [(n, m, s) for n in names for m in (args.methods or leaderboard_methods(DATASETS[n][0]))
            if m in leaderboard_methods(DATASETS[n][0]) for s in args.seeds]
    if args.jobs > 1:
        with get_context('spawn').Pool(args.jobs) as pool: res = list(pool.imap_unordered(_job, jobs))
    else: res = [_job(j) for j in jobs]
    runs = {n: pd.concat([r for m, r in res if m == n], ignore_index=True) for n in names}
    out = REPO/'benchmarks'
    old = json.loads((out/'leaderboard.json').read_text()) if (out/'leaderboard.json').exists() else {}
    for n, r in runs.items():
        old[n] = dict(runs=r.to_dict('records'), table=leaderboard_table(r).reset_index().to_dict('records'))
    (out/'leaderboard.json').write_text(json.dumps(old, indent=1))
    fig, axs = plt.subplots(1, len(old), figsize=(7.5 * len(old), 3.8), squeeze=False)
    for ax, (n, d) in zip(axs[0], old.items()):
        plot_leaderboard(pd.DataFrame(d['runs']), ax, f"{n}: test mAP over {len(set(x['seed'] for x in d['runs']))} seeds")
    fig.tight_layout(); fig.savefig(out/'leaderboard.png', dpi=110)
    for n, d in old.items():
        t = pd.DataFrame(d['table'])
        print(f"\n{n}\n| method | test mAP | vs AN | seeds |\n|---|---|---|---|")
        for _, row in t.iterrows(): print(f"| {row.method} | {row['mean']:.2f} ± {row['std']:.2f} | {row.get('vs_AN', float('nan')):+.2f} | {row.n} |")

if __name__ == '__main__': main()
