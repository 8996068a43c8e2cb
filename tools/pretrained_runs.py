"""Train the runs of `nbs/19_pretrained` (the demo with its pretrained backbone): AN, LL-R, LL-Ct, LL-Cp and full labels,
End-to-end and LinearInit, seeds 0, 1, 2, with the demo's defaults otherwise. Runs are cached where the notebook finds
them (`nbs/runs/analysis/demo`); a finished run is reused.

    python tools/pretrained_runs.py [--seeds 0 1 2]"""
import argparse, os, time
from pathlib import Path
os.chdir(Path(__file__).resolve().parent.parent/'nbs') # the notebooks' folder: their cache is relative to it
from largeloss_fastai.analysis import analysis_run, PRETRAINED_EXTRA, PRETRAINED_SCHEMES

p = argparse.ArgumentParser(description=__doc__)
p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
a = p.parse_args()
for seed in a.seeds:
    for mode, extra in PRETRAINED_EXTRA.items():
        for scheme in PRETRAINED_SCHEMES:
            t = time.time()
            r = analysis_run(scheme, seed=seed, extra=extra)
            print(f"{mode:10} {scheme:5} seed {seed}: test mAP {r['metrics']['test_map']:.2f} ({time.time() - t:.0f} s)", flush=True)
