"""Behaviour check for refactors: four short runs whose every number must be identical before and after a change.

    python tools/before_after.py --out /tmp/ba-before   # on the old commit
    python tools/before_after.py --out /tmp/ba-after    # on the new one, then: diff the two printed JSON files

The runs (one thread, channels-last off, seed 0): the demo with LL-R and the memorization record; LL-Cp stopped after
2 epochs and resumed to 3; one baseline (EPR); one features run (corel5k, when ../shared is present). Printed per run:
test mAP, each epoch's validation mAP and training loss, a hash of the kept model's tensors and of the written CSVs."""
import argparse, hashlib, json, os, sys
from pathlib import Path
os.environ.setdefault('OMP_NUM_THREADS', '1')
import torch
torch.set_num_threads(1)
try: from largeloss_fastai.config import RunConfig # after the configuration moved out of the protocol
except ImportError: from largeloss_fastai.protocol import RunConfig
from largeloss_fastai.protocol import train

ROOT = Path(__file__).resolve().parent.parent

def tensor_hash(fn:Path)->str:
    "sha256 over the names and bytes of every tensor in a state dict file (independent of the zip container)"
    sd, h = torch.load(fn, weights_only=True), hashlib.sha256()
    for k in sorted(sd): h.update(k.encode()); h.update(sd[k].detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()[:16]

def summary(res, out:Path)->dict:
    m = res.metrics
    d = dict(test_map=m['test_map'], val_map_best=m['val_map_best'], model=tensor_hash(out/'model.pth'),
             label_store=m['label_store_sha256'][0][:16], epochs=[{k: v for k, v in e.items() if k != 'time'} for e in m['epochs']])
    for f in sorted(out.glob('*.csv')): d[f.name] = hashlib.sha256(f.read_bytes()).hexdigest()[:16]
    return d

def main(out:Path):
    demo = dict(n_train=300, n_test=200, num_epochs=2, channels_last=False, data_path=str(out/'demo')) # not the shared cache
    runs = {'demo LL-R + memorization': dict(method='LL-R', record_memorization=True, **demo),
            'baseline EPR': dict(method='EPR', **demo)}
    res = {}
    for name, kw in runs.items():
        o = out/name.split()[1]
        res[name] = summary(train(RunConfig(out=str(o), **kw)), o)
        print(name, res[name]['test_map'], flush=True)
    o = out/'cp'
    train(RunConfig(method='LL-Cp', out=str(o), **demo))
    res['LL-Cp 2 epochs, resumed to 3'] = summary(train(RunConfig(resume=str(o), num_epochs=3)), o)
    corel = ROOT.parent/'shared'/'data'/'corel5k'
    if corel.is_dir():
        o = out/'arff'
        res['features corel5k LL-R'] = summary(train(RunConfig(dataset='arff', data_path=str(corel), method='LL-R', num_epochs=2,
                                                               out=str(o))), o)
    (out/'before_after.json').write_text(json.dumps(res, indent=1))
    print(json.dumps(res, indent=1))

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--out', type=Path, required=True, help='folder for the runs and before_after.json')
    main(p.parse_args().out)
