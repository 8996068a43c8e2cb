"""The leaderboard: every method of the library on the embedded demo data and on corel5k (features), 3 seeds.

Usage: python tools/leaderboard.py [--datasets demo corel5k] [--seeds 0 1 2] [--methods AN LL-R ...] [--jobs 2] [--render]

Each run is `largeloss-train` through `analysis.analysis_run` (settings from
`leaderboard_runs.leaderboard_settings`), cached in
nbs/runs/analysis/<dataset>/ with the analysis notebooks' runs, so finished runs are loaded, not repeated, and
nbs/17_leaderboard.ipynb shows the same runs. `--jobs 2` trains two runs at a time with one thread each (on 2 cores
that is faster than one run with two threads for the demo's small CNN). Writes benchmarks/leaderboard.json (every run
and the table per dataset) and benchmarks/leaderboard.png, and prints the tables in Markdown. A demo run whose settings
equal one of `tools/demo_check.py`'s (AN and full labels: the same `analysis_run` folder) is taken from
benchmarks/demo_check.json, so that one experiment has one result; each run's `source` says which tool measured it.
`--render` trains nothing and rebuilds the file's tables and the figure from the runs it holds."""
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
    from largeloss_fastai.leaderboard_runs import leaderboard
    name, method, seed = job
    ds, path = DATASETS[name]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        r = leaderboard(ds, path, seeds=(seed,), methods=[method])
    print(f"{name} {method} seed {seed}: test mAP {r.test_map.iloc[0]:.2f} ({r.wall_s.iloc[0]:.0f} s)", flush=True)
    return name, r

SHARED = REPO/'benchmarks'/'demo_check.json' # the demo runs whose flags `tools/demo_check.py` also trains: one results file per experiment

def shared_runs(name:str, runs:pd.DataFrame)->pd.DataFrame:
    "`runs` with every run whose settings equal a run of `demo_check.json` taken from that file (one result per set of flags); the rows it replaced in `runs.attrs['replaced']`"
    if 'source' not in runs: runs = runs.assign(source='leaderboard')
    if name != 'demo' or not SHARED.exists(): return runs
    from largeloss_fastai.analysis import analysis_config
    from largeloss_fastai.leaderboard_runs import leaderboard_settings
    from largeloss_fastai.config import RunConfig
    dc = json.loads(SHARED.read_text())['runs']
    strip = lambda st: {k: v for k, v in st.items() if k != 'out'}
    runs, replaced = runs.copy(), []
    for r in dc:
        for m in runs.method.unique():
            scheme, extra = leaderboard_settings(m, 'demo')
            cfg = analysis_config(scheme, 'demo', None, r['seed'], False, extra)
            if strip(cfg.resolve().settings()) != strip(RunConfig.from_settings(r['settings']).resolve().settings()): continue
            row = dict(method=m, seed=r['seed'], test_map=r['test_map'], val_map_best=r['val_map_best'], best_epoch=r['best_epoch'],
                       wall_s=r['wall_s'], source='demo_check')
            hit = (runs.method == m) & (runs.seed == r['seed'])
            replaced.extend(x for x in runs[hit & (runs.source != 'demo_check')].to_dict('records'))
            runs = pd.concat([runs[~hit], pd.DataFrame([row])], ignore_index=True)
    order = {m: i for i, m in enumerate(dict.fromkeys(runs.method))}
    runs.attrs['replaced'] = replaced
    return runs.sort_values(['method', 'seed'], key=lambda c: c.map(order) if c.name == 'method' else c).reset_index(drop=True)

def plot(data:dict, fn):
    "One panel per dataset: `plot_leaderboard`, on an axis from 0 (a bar's height is its value) with the AN line in the legend"
    from largeloss_fastai.leaderboard_runs import plot_leaderboard
    fig, axs = plt.subplots(1, len(data), figsize=(7.5 * len(data), 3.8), squeeze=False)
    for ax, (n, d) in zip(axs[0], data.items()):
        plot_leaderboard(pd.DataFrame(d['runs']), ax, f"{n}: test mAP over {len(set(x['seed'] for x in d['runs']))} seeds (dots)")
        ax.set_ylim(0, 100 if n == 'demo' else None)
        ax.get_lines()[-1].set_label('AN, mean'); ax.legend(loc='upper right')
    fig.tight_layout(); fig.savefig(fn, dpi=110)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--datasets', nargs='+', default=list(DATASETS), choices=list(DATASETS))
    p.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    p.add_argument('--methods', nargs='+', default=None, help='default: every method that applies to the dataset; given, the file keeps the other methods\' runs')
    p.add_argument('--jobs', type=int, default=1, help='runs trained at a time, one thread each when more than 1')
    p.add_argument('--render', action='store_true', help='train nothing: rebuild the tables and the figure from the runs in leaderboard.json and demo_check.json')
    args = p.parse_args(argv)
    from largeloss_fastai.leaderboard_runs import leaderboard_methods, leaderboard_table
    out = REPO/'benchmarks'
    old = json.loads((out/'leaderboard.json').read_text()) if (out/'leaderboard.json').exists() else {}
    if args.render: runs = {n: pd.DataFrame(d['runs']) for n, d in old.items()}
    else:
        names = [n for n in args.datasets if DATASETS[n][1] is None or (REPO/'nbs'/DATASETS[n][1]).is_dir()]
        for n in set(args.datasets) - set(names): print(f"skipping {n}: {DATASETS[n][1]} is not there")
        jobs = [(n, m, s) for n in names for m in (args.methods or leaderboard_methods(DATASETS[n][0]))
                if m in leaderboard_methods(DATASETS[n][0]) for s in args.seeds]
        if args.jobs > 1:
            with get_context('spawn').Pool(args.jobs) as pool: res = list(pool.imap_unordered(_job, jobs))
        else: res = [_job(j) for j in jobs]
        runs = {n: pd.concat([r for m, r in res if m == n], ignore_index=True).assign(source='leaderboard') for n in names}
        if args.methods: # the other methods' runs of the file stay (a method added to the registry joins the table)
            runs = {n: pd.concat([pd.DataFrame([x for x in old[n]['runs'] if not (x['method'] in args.methods and x['seed'] in args.seeds)]), r],
                                 ignore_index=True) if n in old else r for n, r in runs.items()}
    for n, r in runs.items():
        kept = old.get(n, {}).get('replaced', []) # the earlier rows that demo_check.json's replaced, kept as measured (not a source of the tables)
        r = shared_runs(n, r)
        new = kept + [x for x in r.attrs.get('replaced', []) if (x['method'], x['seed']) not in {(k['method'], k['seed']) for k in kept}]
        old[n] = dict(runs=r.to_dict('records'), table=leaderboard_table(r).reset_index().to_dict('records'), **({'replaced': new} if new else {}))
    (out/'leaderboard.json').write_text(json.dumps(old, indent=1) + '\n')
    plot(old, out/'leaderboard.png')
    for n, d in old.items():
        t = pd.DataFrame(d['table'])
        print(f"\n{n}\n| method | test mAP | vs AN | seeds |\n|---|---|---|---|")
        for _, row in t.iterrows(): print(f"| {row.method} | {row['mean']:.2f} ± {row['std']:.2f} | {row.get('vs_AN', float('nan')):+.2f} | {row.n} |")

if __name__ == '__main__': main()
