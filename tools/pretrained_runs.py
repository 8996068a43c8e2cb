"""Train the runs of `nbs/19_pretrained` (the demo with its pretrained backbone): AN, LL-R, LL-Ct, LL-Cp and full labels,
End-to-end and LinearInit, seeds 0, 1, 2, with the demo's defaults otherwise. Runs are cached where the notebook finds
them (`nbs/runs/analysis/demo`); a finished run with the same settings is reused. Writes `benchmarks/pretrained.json`,
the results file that BENCHMARKS.md quotes: every run's test mAP and `delta_rel`, the table per mode and scheme (mean, and
the population sd, as `19_pretrained` computes it), and the held-out accuracy of the pretrained demo bodies.

    python tools/pretrained_runs.py [--seeds 0 1 2] [--no_train]"""
import argparse, json, os, sys, time
from pathlib import Path
import numpy as np

REPO = Path(__file__).resolve().parent.parent
OUT = REPO/'benchmarks'/'pretrained.json'

def body_accuracies()->dict:
    "Held-out accuracy of each pretrained demo body in the cache (`demo.pretrain_demo_body` writes one JSON per body)"
    d = Path(os.environ.get('LARGELOSS_DATA', Path.home()/'.cache'/'largeloss_fastai'))/'demo_pretrained'
    return {f.stem: dict(size=m['size'], classes=len(m['classes']), valid_accuracy=m['valid_accuracy'], seconds=m['seconds'])
            for f in sorted(d.glob('*.json')) for m in [json.loads(f.read_text())]}

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    p.add_argument('--no_train', action='store_true', help='only collect the finished runs (stale ones included, with their own settings)')
    a = p.parse_args(argv)
    os.chdir(REPO/'nbs') # the notebooks' folder: their cache is relative to it
    from largeloss_fastai.analysis import analysis_run, analysis_config, PRETRAINED_EXTRA, PRETRAINED_SCHEMES
    runs = []
    for seed in a.seeds:
        for mode, extra in PRETRAINED_EXTRA.items():
            for scheme in PRETRAINED_SCHEMES:
                t = time.time()
                if a.no_train:
                    f = Path(analysis_config(scheme, seed=seed, extra=extra).out)/'metrics.json'
                    if not f.exists(): continue
                    m = json.loads(f.read_text())
                else: m = analysis_run(scheme, seed=seed, extra=extra)['metrics']
                runs.append(dict(mode=mode, scheme=scheme, seed=seed, test_map=m['test_map'], delta_rel=m['settings'].get('delta_rel'),
                                 best_epoch=m['best_epoch'], wall_s=m.get('wall_s')))
                print(f"{mode:10} {scheme:5} seed {seed}: test mAP {m['test_map']:.2f} ({time.time() - t:.0f} s)", flush=True)
    table = {}
    for mode in PRETRAINED_EXTRA:
        for scheme in PRETRAINED_SCHEMES:
            v = [r['test_map'] for r in runs if r['mode'] == mode and r['scheme'] == scheme]
            if v: table.setdefault(mode, {})[scheme] = dict(test_map=v, mean=float(np.mean(v)), sd_population=float(np.std(v)),
                                                            delta_rel=sorted({r['delta_rel'] for r in runs if r['mode'] == mode and r['scheme'] == scheme}))
    res = dict(command='python tools/pretrained_runs.py', sd='population standard deviation over the seeds (ddof=0), as 19_pretrained',
               bodies=body_accuracies(), runs=runs, table=table)
    sys.path.insert(0, str(REPO))
    from largeloss_fastai.core import write_atomic
    write_atomic(OUT, lambda f: Path(f).write_text(json.dumps(res, indent=1) + '\n'))
    print(f'wrote {OUT}')

if __name__ == '__main__': main()
