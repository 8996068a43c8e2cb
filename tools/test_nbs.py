"""Run every notebook in `nbs/` as a test (nbdev's runner, `slow` cells skipped unless `--flags slow`).
Prints one line per notebook and ends with `N passed, N failed`."""
import argparse, sys, time
from pathlib import Path
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from multiprocessing import get_context
from nbdev.config import get_config
from nbdev.test import test_nb

def _fork_by_default():
    "In a spawned worker: start processes by fork again, as a notebook kernel does (DataLoader workers, pools)"
    import multiprocessing; multiprocessing.set_start_method('fork', force=True)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('nbs', nargs='*', help='notebooks to run (default: all in nbs/)')
    p.add_argument('--flags', default='', help='space separated test flags to run, e.g. "slow"')
    p.add_argument('--n_workers', type=int, default=2)
    a = p.parse_args()
    files = [Path(f) for f in a.nbs] or sorted(p for p in get_config().nbs_path.glob('*.ipynb') if not p.name.startswith('_'))
    cfg = get_config()
    skip = cfg.tst_flags.split() if isinstance(cfg.tst_flags, str) else list(cfg.tst_flags)
    t0 = time.time()
    # each notebook in a fresh process (spawned, one task per worker): what one notebook leaves in a module (a method it
    # registers with its own copy of a class, in `registry.METHODS`) cannot reach the next one, as in a fresh Jupyter
    # kernel; `test_nb` itself goes to the workers (a function of this script could not be unpickled there)
    with ProcessPoolExecutor(max_workers=a.n_workers, mp_context=get_context('spawn'), max_tasks_per_child=1, initializer=_fork_by_default) as ex:
        res = list(ex.map(partial(test_nb, skip_flags=skip, force_flags=a.flags.split(), basepath=cfg.config_path, cell_timeout=600), files))
    for f, (ok, secs) in zip(files, res): print(f"{'PASS' if ok else 'FAIL'} {f.name} ({secs:.0f} s)")
    n_ok = sum(ok for ok, _ in res)
    print(f'total {time.time() - t0:.0f} s')
    print(f'{n_ok} passed, {len(res) - n_ok} failed')
    sys.exit(0 if n_ok == len(res) else 1)
