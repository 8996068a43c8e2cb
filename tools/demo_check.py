"""Check the demo's story over several seeds: AN, LL-R, LL-Ct and full labels with the command line's defaults.

    python tools/demo_check.py [--seeds 0 1 2] [--schemes AN LL-R LL-Ct full] [--threads N] [--force]
    python tools/demo_check.py --plot_only     # the figure again from benchmarks/demo_check.json

Each run is `largeloss-train` with the demo's defaults through `analysis.analysis_run` (so also `--record_memorization
--test_each_epoch`, which record and test but do not change training), cached in `nbs/runs/analysis/demo/` with the
analysis notebooks' runs: AN and full labels there are the same runs as the leaderboard's and `19_pretrained`'s AN from
scratch, one run per set of flags, and a finished run is loaded, not repeated. Writes `benchmarks/demo_check.json`
(every run: test mAP, curves, settings, wall time, and for the runs this tool trained the machine and thread count;
the table per scheme) and the figure `nbs/images/demo_check.png`. README.md and `nbs/06_demo` quote the JSON through
`python tools/check_numbers.py --write`."""
import argparse, json, os, platform, sys, time
from pathlib import Path
import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUT = REPO/'benchmarks'/'demo_check.json'

def machine()->dict:
    "What the numbers depend on: CPU model and count, thread count, library versions (digits differ across these)"
    import torch, fastai
    cpu = next((l.split(':', 1)[1].strip() for l in Path('/proc/cpuinfo').read_text().splitlines() if l.startswith('model name')), platform.processor()) if Path('/proc/cpuinfo').exists() else platform.processor()
    return dict(cpu=cpu, cores=os.cpu_count(), threads=torch.get_num_threads(), gpu=torch.cuda.get_device_name() if torch.cuda.is_available() else None,
                python=platform.python_version(), torch=torch.__version__, fastai=fastai.__version__, numpy=np.__version__)

def sd(xs): return float(np.std(xs, ddof=1)) if len(xs) > 1 else 0.0 # the sample standard deviation, as `leaderboard_table`

def summarize(rows:list)->dict:
    "Per scheme: test mAP per seed, mean and sd; and the memorization story's numbers"
    t = {}
    for s in dict.fromkeys(r['scheme'] for r in rows):
        rs = [r for r in rows if r['scheme'] == s]
        v = [r['test_map'] for r in rs]
        last = [r['last_test'] for r in rs]
        t[s] = dict(seeds=[r['seed'] for r in rs], test_map=v, mean=float(np.mean(v)), sd=sd(v),
                    last_test=last, last_mean=float(np.mean(last)), last_sd=sd(last), peak_epochs=[r['peak_epoch'] + 1 for r in rs],
                    fn_peak_epochs=[None if r['fn_peak_epoch'] is None else r['fn_peak_epoch'] + 1 for r in rs],
                    fn_last_over_peak=[r['fn_last_over_peak'] for r in rs])
    if 'AN' in t and 'LL-R' in t:
        common = sorted(set(t['AN']['seeds']) & set(t['LL-R']['seeds']))
        an = {r['seed']: r for r in rows if r['scheme'] == 'AN'}; ll = {r['seed']: r for r in rows if r['scheme'] == 'LL-R'}
        t['LL-R minus AN'] = dict(seeds=common, test_map=[ll[s]['test_map'] - an[s]['test_map'] for s in common],
                                  last_test=[ll[s]['last_test'] - an[s]['last_test'] for s in common])
    return t

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    p.add_argument('--schemes', nargs='+', default=['AN', 'LL-R', 'LL-Ct', 'full'])
    p.add_argument('--threads', type=int, default=None, help="torch threads (default: torch's, every core)")
    p.add_argument('--force', action='store_true', help='train again even when the run is cached')
    p.add_argument('--out', default=str(OUT), help='the results file')
    p.add_argument('--plot_only', action='store_true', help='draw the figure from the results file, train nothing')
    a = p.parse_args(argv)
    if a.plot_only:
        out = Path(a.out); out = out if out.is_absolute() else REPO/out
        return plot(json.loads(out.read_text())['runs'], REPO/'nbs'/'images'/'demo_check.png' if out == OUT else out.with_suffix('.png'))
    import torch
    if a.threads: torch.set_num_threads(a.threads)
    os.chdir(REPO/'nbs') # the analysis notebooks' cache is relative to nbs/
    from largeloss_fastai.analysis import analysis_run
    out = Path(a.out); out = out if out.is_absolute() else REPO/out
    old = {(r['scheme'], r['seed']): r for r in json.loads(out.read_text())['runs']} if out.exists() else {}
    rows = []
    for seed in a.seeds:
        for scheme in a.schemes:
            m_file = Path('runs/analysis/demo')/f'{scheme}-seed{seed}'/'metrics.json'
            before = m_file.stat().st_mtime if m_file.exists() else None
            t0 = time.time()
            r = analysis_run(scheme, seed=seed, force=a.force)
            m = r['metrics']
            trained = before is None or m_file.stat().st_mtime != before
            prev = old.get((scheme, seed))
            same = prev is not None and prev.get('run') == str(m_file.parent) and prev['test_map'] == m['test_map'] and prev['wall_s'] == m['wall_s']
            ep = m['epochs']
            test = [e['test_mAP'] for e in ep]
            fn = np.array([np.nan if e.get('fn_loss') is None else e['fn_loss'] for e in ep], dtype=float)
            has_fn = scheme != 'full' and bool(np.isfinite(fn).any())
            rows.append(dict(scheme=scheme, seed=seed, test_map=m['test_map'], val_map_best=m['val_map_best'], best_epoch=m['best_epoch'],
                             last_test=test[-1], peak_test=max(test), peak_epoch=int(np.argmax(test)),
                             fn_peak_epoch=int(np.nanargmax(fn)) if has_fn else None,
                             fn_last_over_peak=float(fn[-1]/np.nanmax(fn)) if has_fn else None,
                             wall_s=m['wall_s'], run=str(m_file.parent), settings=m['settings'],
                             trained_by=('this tool, ' + time.strftime('%Y-%m-%d')) if trained else (prev['trained_by'] if same else 'loaded from the cache (trained by another tool)'),
                             machine=machine() if trained else (prev['machine'] if same else None),
                             test_curve=test, fn_curve=[None if np.isnan(v) else float(v) for v in fn]))
            x = rows[-1]
            fn_txt = f", FN loss peak at epoch {x['fn_peak_epoch'] + 1}, last/peak {x['fn_last_over_peak']:.2f}" if has_fn else ''
            print(f"{scheme:5s} seed {seed}: test mAP (kept model) {x['test_map']:.2f}, last epoch {x['last_test']:.2f}, peak {x['peak_test']:.2f} "
                  f"at epoch {x['peak_epoch'] + 1}{fn_txt}, {x['wall_s']:.0f} s ({'trained' if trained else 'cached'}, {time.time() - t0:.0f} s)", flush=True)
            res = dict(command='python tools/demo_check.py ' + ' '.join(sys.argv[1:] if argv is None else argv),
                       sd='sample standard deviation over the seeds (ddof=1)',
                       runs=rows + [r for k, r in old.items() if k not in {(x['scheme'], x['seed']) for x in rows}])
            res['runs'].sort(key=lambda r: (r['seed'], a.schemes.index(r['scheme']) if r['scheme'] in a.schemes else 99))
            res['table'] = summarize(res['runs'])
            out.write_text(json.dumps(res, indent=1) + '\n') # after every run: an interrupted check keeps what it measured
    for s, d in res['table'].items():
        if 'mean' in d: print(f"{s:5s} kept-model test mAP {d['mean']:.2f} ± {d['sd']:.2f} (seeds {d['seeds']}), last epoch {d['last_mean']:.2f} ± {d['last_sd']:.2f}")
    plot(res['runs'], REPO/'nbs'/'images'/'demo_check.png' if out == OUT else out.with_suffix('.png'))

def plot(rows, fn):
    "The figure: test mAP per epoch (left) and the false negatives' loss per epoch (right), a colour per scheme, a line style per seed"
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from largeloss_fastai.analysis import METHOD_COLOURS
    fig, axs = plt.subplots(1, 2, figsize=(12, 4.4))
    schemes, seeds = list(dict.fromkeys(r['scheme'] for r in rows)), sorted({r['seed'] for r in rows})
    styles = dict(zip(seeds, ['-', '--', ':', '-.'] * 4))
    for r in rows:
        x = np.arange(1, len(r['test_curve']) + 1)
        kw = dict(color=METHOD_COLOURS.get(r['scheme'], 'tab:gray'), ls=styles[r['seed']], marker='o', ms=2.5, lw=1.2, alpha=.85)
        axs[0].plot(x, r['test_curve'], **kw)
        if r['fn_peak_epoch'] is not None: axs[1].plot(x, np.array(r['fn_curve'], dtype=float), **kw)
    with_fn = [s for s in schemes if any(r['scheme'] == s and r['fn_peak_epoch'] is not None for r in rows)]
    for ax, shown in zip(axs, (schemes, with_fn)):
        handles = [Line2D([], [], color=METHOD_COLOURS.get(s, 'tab:gray'), lw=2, label=s) for s in shown]
        handles += [Line2D([], [], color='k', ls=styles[sd], lw=1.2, label=f'seed {sd}') for sd in seeds]
        ax.legend(handles=handles, fontsize=8, ncol=2, loc='lower right' if ax is axs[0] else 'upper left')
    axs[0].set(xlabel='epoch', ylabel='test mAP (%)', title='Test mAP per epoch')
    axs[1].set(xlabel='epoch', ylabel='mean AN loss of the false negatives (log)', yscale='log',
               title="False negatives' loss: AN's rises, then falls;\nLL-R's and LL-Ct's keep rising (full labels have none)")
    fig.suptitle(f"The demo, the command line's defaults, seeds {seeds}", y=0.99)
    fig.tight_layout(); fig.savefig(fn, dpi=110)

if __name__ == '__main__': main()
