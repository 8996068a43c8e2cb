"""Run the reference code's own `main.py` (snucml/LargeLossMatters) and `largeloss-train` on the same COCO images with
the same settings, alternately (reference, ours, ours, reference, ...), and report wall time, images/s and test mAP.

    python tools/bench_reference.py <a clone of snucml/LargeLossMatters> --data_path ../shared/data/coco_tiny

The clone is never changed or committed: a temporary copy is patched in two places, and the report says so:
1. `transforms.Resize((448, 448))` becomes `--size` (224 by default), for CPU time;
2. its final `torch.load(path)` gets `weights_only=False`: since torch 2.6 `torch.load` refuses the `(state_dict, Munch)`
   tuple the reference saves, and the reference would crash before its test phase.
Both runs: ResNet-50 without pretrained weights, batch 16, LL-R (COCO's published settings: Adam, lr 1e-5,
delta_rel 0.4, head x10, flips), `--epochs` epochs, `--workers` loader workers. Both read the same split and the same
observed labels: the reference's `formatted_*.npy` files written by `write_formatted` (exactly what the reference's
`preproc/format_coco.py` writes, see `tools/check_reference_format.py`). The reference needs `munch` (and scikit-learn,
which fastai brings) in this environment. Results go to `--out` (JSON) and, as a table, to the terminal.
Time to the first batch: the wall seconds from the start of a process to the first training batch its progress bar
counts (the reference's tqdm `1/N`, ours fastai's `[1/N`): imports, data, model and the first step.
`--channels_last` sets ours' memory format (default: `largeloss-train`'s own default); `--compile` also measures ours
with `torch.compile` (a third kind of run, in the same alternation)."""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, threading, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def reference_copy(clone:Path, dest:Path, size:int)->list:
    "Copy the reference code from `clone` (a work tree, or a bare git folder) into `dest` and patch it; the patches made"
    if (clone/'main.py').is_file(): shutil.copytree(clone, dest, ignore=shutil.ignore_patterns('.git', 'data'))
    else: # a bare repository, e.g. one fetched without a work tree
        dest.mkdir(parents=True)
        arch = subprocess.run(['git', '--git-dir', str(clone), 'archive', 'HEAD'], capture_output=True, check=True).stdout
        subprocess.run(['tar', '-x', '-C', str(dest)], input=arch, check=True)
    if not (dest/'main.py').is_file(): raise SystemExit(f"error: {clone} holds no main.py: not a clone of snucml/LargeLossMatters")
    patches = []
    def patch(fn, old, new, why):
        s = (dest/fn).read_text()
        if s.count(old) < 1: raise SystemExit(f"error: {fn} of the reference has no {old!r}: not the expected version")
        (dest/fn).write_text(s.replace(old, new)); patches.append(f"{fn}: {old} -> {new} ({why}, {s.count(old)} place(s))")
    patch('datasets.py', 'transforms.Resize((448, 448))', f'transforms.Resize(({size}, {size}))', 'CPU time')
    patch('train.py', 'torch.load(path)', 'torch.load(path, weights_only=False)', "torch >= 2.6 refuses the saved (state_dict, Munch) tuple")
    return patches

def reference_data(ref:Path, data_path:Path):
    "The reference's `data/coco`: formatted files of the dataset in `data_path` and links to its image folders; the dataset"
    from largeloss_fastai.datasets import load_dataset, write_formatted
    ds = load_dataset('coco', data_path)
    out = ref/'data'/'coco'
    write_formatted(ds, out, overwrite=True)
    for d in {Path(f).parts[0] for f in ds.table.fname}: (out/d).symlink_to((data_path/d).resolve())
    return ds

def timed_run(cmd, cwd, env, epoch_pat, first_pat)->dict:
    "Run `cmd` and time it: total wall seconds, the seconds at which the first batch and each epoch ended"
    t0 = time.time()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    out, ends, first = [], [], None
    buf = ''
    while True:
        ch = p.stdout.read(1)
        if not ch: break
        buf += ch
        if ch in '\r\n':
            line = buf.strip(); buf = ''
            if line:
                out.append(line)
                if re.search(epoch_pat, line): ends.append(round(time.time() - t0, 1))
                if first is None and re.search(first_pat, line): first = round(time.time() - t0, 1)
    p.wait()
    wall = time.time() - t0
    if p.returncode: raise SystemExit(f"error: {' '.join(map(str, cmd[:3]))} ... failed (status {p.returncode}):\n" + '\n'.join(out[-15:]))
    return dict(wall_s=round(wall, 1), first_batch_s=first, epoch_end_s=ends, output=out)

COMPILED = """import sys, torch
from fastai.learner import Learner
_fit = Learner.fit
def fit(self, *args, **kw): # compile the model once, before its first fit
    if not hasattr(self, '_compiled'): self.model.compile(); self._compiled = True # in place: the same state_dict keys
    return _fit(self, *args, **kw)
Learner.fit = fit
from largeloss_fastai.cli import largeloss_train
sys.argv[0] = 'largeloss-train'
largeloss_train()
""" # `largeloss-train` with torch.compile, the model compiled at its first fit (a measurement, not an option of ours)

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('clone', help='a clone of snucml/LargeLossMatters (work tree or bare git folder)')
    ap.add_argument('--data_path', required=True, help='a COCO folder in the official layout (annotations/, train20xx/, val20xx/)')
    ap.add_argument('--size', type=int, default=224, help='image side (the paper: 448)')
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--bsize', type=int, default=16)
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--rounds', type=int, default=1, help='rounds of (reference, ours, ours, reference)')
    ap.add_argument('--channels_last', choices=('default', 'true', 'false'), default='default',
                    help="ours' memory format: largeloss-train's default, or forced")
    ap.add_argument('--compile', action='store_true', help='also time ours with torch.compile (a third kind of run)')
    ap.add_argument('--out', default='benchmarks/reference.json')
    a = ap.parse_args()
    clone, data_path = Path(a.clone).expanduser(), Path(a.data_path).expanduser()
    if not clone.exists(): raise SystemExit(f"error: {clone} does not exist")
    try: import munch # noqa: F401
    except ImportError: raise SystemExit("error: the reference code needs munch: pip install munch")
    load_before = os.getloadavg() # other work on the machine: 1, 5 and 15 minute load averages
    tmp = Path(tempfile.mkdtemp(prefix='bench_reference-'))
    try:
        ref = tmp/'reference'
        patches = reference_copy(clone, ref, a.size)
        ds = reference_data(ref, data_path)
        n = dict(train=int((ds.table.split == 'train').sum()), test=int((ds.table.split == 'test').sum()))
        for p in patches: print('patched:', p)
        env = {**os.environ, 'PYTHONUNBUFFERED': '1'}
        ref_cmd = [sys.executable, 'main.py', '--dataset', 'coco', '--mod_scheme', 'LL-R', '--delta_rel', '0.4', '--lr', '1e-5',
                   '--optimizer', 'adam', '--bsize', str(a.bsize), '--num_epochs', str(a.epochs), '--num_workers', str(a.workers),
                   '--use_pretrained', 'False', '--save_path', str(tmp/'ref_runs'), '--exp_name', 'bench']
        ours_cmd = lambda i: [str(Path(sys.executable).parent/'largeloss-train'), '--dataset', 'coco', '--data_path', str(data_path),
                              '--mod_scheme', 'LL-R', '--arch', 'resnet50', '--use_pretrained', 'false', '--size', str(a.size),
                              '--bsize', str(a.bsize), '--num_epochs', str(a.epochs), '--num_workers', str(a.workers),
                              '--out', str(tmp/f'ours{i}')] + \
                             ([] if a.channels_last == 'default' else ['--channels_last', a.channels_last])
        compiled_cmd = lambda i: [sys.executable, '-c', COMPILED, *ours_cmd(i)[1:]]
        runs = []
        for r in range(a.rounds):
            for who in ('reference', 'ours', *['compiled'] * a.compile, 'ours', *['compiled'] * a.compile, 'reference'):
                i = len(runs)
                print(f"\n== run {i + 1} of {(4 + 2 * a.compile) * a.rounds}: {who}", flush=True)
                if who == 'reference':
                    res = timed_run(ref_cmd, ref, env, r'^Epoch \d+ : val mAP', r'\| *1/\d+ \[') # tqdm's '| 1/3 ['
                    m = [l for l in res['output'] if l.startswith('Test mAP')]
                    res['test_map'] = float(re.search(r'Test mAP : ([\d.]+)', m[-1]).group(1)) if m else None
                else:
                    res = timed_run((ours_cmd if who == 'ours' else compiled_cmd)(i), ROOT, env,
                                    r'^\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+', r'\[1/\d+ ') # fastai: epoch row, bar's '[1/3 '
                    res['test_map'] = json.loads((tmp/f'ours{i}'/'metrics.json').read_text())['test_map']
                    shutil.rmtree(tmp/f'ours{i}')
                res.pop('output')
                runs.append(dict(who=who, **res))
                print(f"== {who}: {res['wall_s']} s, first batch at {res['first_batch_s']} s, "
                      f"epochs ended at {res['epoch_end_s']} s, test mAP {res['test_map']}", flush=True)
    finally: shutil.rmtree(tmp, ignore_errors=True)
    n_valid = round(0.2 * n['train'])
    images = a.epochs * n['train'] + n['test'] # every training image (train + validation share) per epoch, the test set once
    summary = {}
    for who in ('reference', 'ours', *['compiled'] * a.compile):
        rs = [r for r in runs if r['who'] == who]
        wall = sum(r['wall_s'] for r in rs) / len(rs)
        summary[who] = dict(wall_s=[r['wall_s'] for r in rs], mean_wall_s=round(wall, 1), images_per_s=round(images / wall, 3),
                            first_batch_s=[r['first_batch_s'] for r in rs],
                            epoch_s=[[round(b - a_, 1) for a_, b in zip([0] + r['epoch_end_s'][:-1], r['epoch_end_s'])] for r in rs],
                            test_map=[r['test_map'] for r in rs])
    ratio = summary['reference']['mean_wall_s'] / summary['ours']['mean_wall_s']
    res = dict(settings=vars(a), patches=patches, n_train_images=n['train'], n_valid=n_valid, n_test=n['test'],
               images_per_run=images, runs=runs, summary=summary, ratio_ours_over_reference_images_per_s=round(ratio, 3),
               machine=dict(cpus=os.cpu_count(), python=sys.version.split()[0], load_before=load_before,
                            load_after=os.getloadavg()))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(res, indent=1))
    print(f"\n{'':10} {'wall s per run':>26} {'first batch s':>22} {'images/s':>9} {'test mAP':>18}")
    for who, s in summary.items():
        print(f"{who:10} {str(s['wall_s']):>26} {str(s['first_batch_s']):>22} {s['images_per_s']:>9} "
              f"{str(s['test_map']):>18}")
    print(f"ours / reference, images/s over whole runs: {ratio:.2f}; load average before and after: "
          f"{' '.join(f'{x:.1f}' for x in load_before)} / {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"(results in {a.out})")

if __name__ == '__main__': main()
