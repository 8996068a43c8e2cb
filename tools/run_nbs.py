"""Execute notebooks in full (not the reduced configuration of `nbdev-test`) and save their outputs in place.

    python tools/run_nbs.py nbs/10_memorization.ipynb ...

Each notebook runs in its own folder, as `nbdev-test` does; it stops at the first error and then writes nothing.
Run `nbdev-clean` afterwards. This is how the analysis notebooks get the outputs they are committed with."""
import argparse, os, time
from pathlib import Path
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory

p = argparse.ArgumentParser(description=__doc__)
p.add_argument('nbs', nargs='+', help='notebooks to execute')
a = p.parse_args()
os.environ.pop('IN_TEST', None)
for fn in map(Path, a.nbs):
    t0 = time.time()
    with working_directory(fn.parent): CaptureShell(fn.name, mpl_format='png').execute(fn.name, fn.name, exc_stop=True)
    print(f'{fn}: {time.time() - t0:.0f} s', flush=True)
