"""Compare the formatted files `write_formatted` makes with those of the reference code's own preprocessing scripts.

Usage: python tools/check_reference_format.py REFERENCE_CHECKOUT [WORK_DIR]

REFERENCE_CHECKOUT is a clone of github.com/snucml/LargeLossMatters (or elijahcole/single-positive-multi-label). Its
`preproc/format_{pascal,coco,cub}.py` and `generate_observed_labels.py` run on copies of the fixtures in data/fixtures
(the CUB script's two size assertions, 312 attributes and 11,788 images, are relaxed to the fixture's sizes), then every
array is compared with ours: dtype, shape and values. Prints one line per array and exits 1 on any difference."""
import re, shutil, subprocess, sys, warnings
from pathlib import Path
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from largeloss_fastai.datasets import read_voc, read_coco, read_cub, write_formatted

def main(ref, work='/tmp/largeloss_refcheck'):
    ref, work = Path(ref), Path(work)
    shutil.rmtree(work, ignore_errors=True); (work/'preproc').mkdir(parents=True)
    for f in ('format_pascal', 'format_coco', 'format_cub', 'generate_observed_labels'):
        shutil.copy(ref/'preproc'/f'{f}.py', work/'preproc')
    cub = (work/'preproc'/'format_cub.py').read_text()
    cub = re.sub(r'NUM_ATTRIBUTES = 312', 'NUM_ATTRIBUTES = 4', cub)
    cub = re.sub(r'NUM_INSTANCES = 11788', 'NUM_INSTANCES = 5', cub).replace('len(classes_np) == 312', 'len(classes_np) == 4')
    (work/'preproc'/'format_cub.py').write_text(cub)
    fix = REPO/'data'/'fixtures'
    readers = {'pascal': (read_voc, 'voc'), 'coco': (read_coco, 'coco'), 'cub': (read_cub, 'cub')}
    ok = True
    for name, (reader, fixture) in readers.items():
        shutil.copytree(fix/fixture, work/'data'/name)
        run = lambda *a: subprocess.run([sys.executable, *a], cwd=work/'preproc', check=True, capture_output=True)
        run(f'format_{name}.py', '--load-path', f'../data/{name}', '--save-path', f'../data/{name}')
        run('generate_observed_labels.py', '--dataset', name)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            write_formatted(reader(fix/fixture), work/'ours'/name)
        for ph in ('train', 'val'):
            for k in ('images', 'labels', 'labels_obs'):
                a, b = (np.load(d/f'formatted_{ph}_{k}.npy') for d in (work/'data'/name, work/'ours'/name))
                same = a.dtype == b.dtype and a.shape == b.shape and bool((a == b).all())
                ok &= same
                print(f"{name:6s} {ph:5s} {k:10s} reference {str(a.dtype):7s} {str(a.shape):8s} ours {str(b.dtype):7s} {str(b.shape):8s} "
                      f"{'identical' if same else 'DIFFERENT'}")
    return ok

if __name__ == '__main__':
    if len(sys.argv) < 2: sys.exit(__doc__)
    sys.exit(0 if main(*sys.argv[1:]) else 1)
