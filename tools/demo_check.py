"""Check the demo's story over several seeds: AN, LL-R and full labels with the CLI's defaults.

    python tools/demo_check.py [--seeds 0 1 2] [--schemes AN LL-R full] [--out runs/demo_check] [-- extra largeloss-train flags]

Writes `<out>/<scheme>-seed<seed>/` (one `largeloss-train` run each, reused when its metrics.json exists),
`<out>/summary.json` (per run: best/last test mAP, AN memorization indicators) and `<out>/summary.png`."""
import argparse, json, sys
from pathlib import Path
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
import numpy as np
from dataclasses import replace
from largeloss_fastai.cli import config_from_argv
from largeloss_fastai.protocol import train

p = argparse.ArgumentParser()
p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
p.add_argument('--schemes', nargs='+', default=['AN', 'LL-R', 'full'])
p.add_argument('--out', default='runs/demo_check')
p.add_argument('--force', action='store_true', help='run again even when a run folder exists')
args, extra = p.parse_known_args()
extra = [a for a in extra if a != '--']
out = Path(args.out)
rows = []
for seed in args.seeds:
    for scheme in args.schemes:
        run = out/f'{scheme}-seed{seed}'
        if args.force or not (run/'metrics.json').exists():
            kw = dict(train_set_variant='clean') if scheme == 'full' else dict(method=scheme)
            train(replace(config_from_argv(extra), **kw, test_each_epoch=True, seed=seed, out=str(run))) # the test mAP of every epoch, to plot
        m = json.loads((run/'metrics.json').read_text())
        ep = m['epochs']
        test = [e['test_mAP'] for e in ep]
        fn = [e.get('fn_loss') for e in ep]
        fn_arr = np.array([np.nan if v is None else v for v in fn], dtype=float)
        has_fn = bool(np.isfinite(fn_arr).any())
        rows.append(dict(scheme=scheme, seed=seed, test_map=m['test_map'], best_epoch=m['best_epoch'],
                         last_test=test[-1], peak_test=max(test), peak_epoch=int(np.argmax(test)),
                         fn_peak_epoch=int(np.nanargmax(fn_arr)) if has_fn else None,
                         fn_last_over_peak=float(fn_arr[-1]/np.nanmax(fn_arr)) if has_fn else None,
                         wall_s=m['wall_s'], test_curve=test, fn_curve=fn))
        r = rows[-1]
        fn_txt = (f", FN loss peak at epoch {r['fn_peak_epoch'] + 1}, last/peak {r['fn_last_over_peak']:.2f}"
                  if has_fn and scheme == 'AN' else '')
        print(f"{scheme:5s} seed {seed}: test mAP (kept model) {r['test_map']:.2f}, last epoch {r['last_test']:.2f}, "
              f"peak {r['peak_test']:.2f} at epoch {r['peak_epoch'] + 1}{fn_txt}, {r['wall_s']:.0f} s", flush=True)
(out/'summary.json').write_text(json.dumps(rows, indent=1))
print('\nmean over seeds:')
for scheme in args.schemes:
    rs = [r for r in rows if r['scheme'] == scheme]
    f = lambda k: f"{np.mean([r[k] for r in rs]):.2f} ± {np.std([r[k] for r in rs]):.2f}"
    print(f"{scheme:5s} kept-model test mAP {f('test_map')}, last-epoch {f('last_test')}, peak {f('peak_test')}, wall {np.mean([r['wall_s'] for r in rs]):.0f} s")
fig, axs = plt.subplots(1, 2, figsize=(11, 3.8))
cols = dict(AN='tab:red', full='tab:green'); cols['LL-R'] = 'tab:blue'
for r in rows:
    x = np.arange(1, len(r['test_curve']) + 1)
    axs[0].plot(x, r['test_curve'], 'o-', ms=3, color=cols.get(r['scheme']), alpha=.8, label=r['scheme'] if r['seed'] == args.seeds[0] else None)
    if r['fn_peak_epoch'] is not None:
        axs[1].plot(x, np.array(r['fn_curve'], dtype=float), 'o-', ms=3, color=cols.get(r['scheme']), alpha=.8, label=r['scheme'] if r['seed'] == args.seeds[0] else None)
axs[0].set(xlabel='epoch', ylabel='test mAP (%)', title=f'demo: test mAP per epoch, seeds {args.seeds}')
axs[1].set(xlabel='epoch', ylabel='mean AN loss of false negatives', yscale='log', title='false-negative loss: AN memorizes, LL-R does not')
for a in axs: a.legend()
fig.tight_layout(); fig.savefig(out/'summary.png', dpi=110)
