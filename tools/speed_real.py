"""Training and inference speed of a backbone on real photos, with the real data pipeline (decoding, resizing,
flipping, normalizing) and `largeloss-train`'s learner, in images per second.

    python tools/speed_real.py --size 128 --channels_last            # efficientnet_lite0 on the VOC photos
    python tools/speed_real.py --size 224 --threads 1 --epoch        # one whole epoch, with its loss and validation mAP
    python tools/speed_real.py --suite                               # the variants of BENCHMARKS.md, written to benchmarks/speed_real.json

Without `--epoch` it times training batches 6 to 35 of an LL-R run (the first five warm up); with it, one whole
training epoch (every batch, the first included, and `torch.compile`'s compilation with `--compile`), so that variants
are compared at equal results: each reports its training loss and validation mAP, from the same seed. Then one pass over
the validation images. Run it on otherwise idle cores: other jobs change the numbers."""
import argparse, json, subprocess, sys, time, warnings
from pathlib import Path
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
import largeloss_fastai.core
import torch
from fastai.basics import set_seed
from fastai.callback.core import Callback, CancelFitException

# (size, channels_last, compile, threads): the layouts, sizes, compilation and thread counts side by side
SUITE = [(128, False, False, 2), (128, True, False, 2), (128, True, True, 2), (128, True, False, 1), (224, True, False, 2)]

class _Timer(Callback):
    "Images per second of training batches `start` to `stop`, then cancel the fit; with `stop=None` the whole epoch"
    def __init__(self, start=5, stop=35): self.start, self.stop, self.speed = start, stop, None
    def before_fit(self): self.t_fit = time.time()
    def before_batch(self):
        if self.iter == self.start: self.t0 = time.time()
        if self.iter == self.stop: self.speed = (self.stop - self.start) * self.dls.train.bs / (time.time() - self.t0); raise CancelFitException
    def before_validate(self):
        if self.stop is None: self.speed = len(self.dls.train.dataset) / (time.time() - self.t_fit)

def measure(data, arch='efficientnet_lite0', size=128, channels_last=False, compile=False, threads=2, epoch=False):
    "One variant's speeds (images/s) and, with `epoch`, its training loss and validation mAP after one epoch"
    from largeloss_fastai.config import RunConfig
    from largeloss_fastai.protocol import build_dls, build_learner
    torch.set_num_threads(threads)
    cfg = RunConfig(dataset='pascal', data_path=str(data), arch=arch, size=size, channels_last=channels_last, method='LL-R',
                    delta_rel=0.4, optimizer='adam', lr=1e-4, seed=0, num_workers=0)
    set_seed(0, reproducible=True)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); dls = build_dls(cfg); learn = build_learner(cfg, dls)
    if compile: learn.model[0] = torch.compile(learn.model[0]) # the body (the Learner's splitter indexes the Sequential)
    timer = _Timer(stop=None if epoch else 35)
    t = time.time()
    with learn.no_bar(), learn.no_logging(): learn.fit(1, cbs=timer)
    rec = dict(arch=arch, size=size, channels_last=channels_last, compile=compile, threads=threads, train_images_s=round(timer.speed, 1))
    if epoch:
        log = dict(zip(learn.recorder.metric_names[1:-1], learn.recorder.values[-1]))
        rec.update(epoch_s=round(time.time() - t, 1), train_loss=round(float(log['train_loss']), 4), valid_map=round(float(log['mAP']), 2))
    t = time.time()
    with learn.no_bar(): learn.get_preds(dl=dls.valid)
    rec['valid_images_s'] = round(len(dls.valid.dataset) / (time.time() - t), 1)
    return rec

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data', default=str(REPO.parent/'shared'/'data'/'voc2012_subset'), help='a PASCAL VOC folder')
    p.add_argument('--arch', default='efficientnet_lite0'); p.add_argument('--size', type=int, default=128)
    p.add_argument('--channels_last', action='store_true'); p.add_argument('--compile', action='store_true', help='torch.compile the model')
    p.add_argument('--threads', type=int, default=torch.get_num_threads()); p.add_argument('--epoch', action='store_true', help='time one whole epoch')
    p.add_argument('--json', action='store_true', help='print the result as one JSON line')
    p.add_argument('--suite', action='store_true', help='every variant of SUITE, a whole epoch each, in its own process')
    a = p.parse_args()
    if not Path(a.data).is_dir(): sys.exit(f"error: data folder {a.data} does not exist")
    if a.suite:
        import os
        cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), 'unknown')
        out_f = REPO/'benchmarks'/'speed_real.json'
        recs = [r for r in (json.loads(out_f.read_text()) if out_f.exists() else []) if 'error' not in r] # measured variants are kept
        for size, cl, comp, th in SUITE:
            if any((r['size'], r['channels_last'], r['compile'], r['threads']) == (size, cl, comp, th) for r in recs): continue
            cmd = [sys.executable, __file__, '--data', a.data, '--arch', a.arch, '--size', str(size), '--threads', str(th), '--epoch', '--json'] + \
                  ['--channels_last'] * cl + ['--compile'] * comp
            print(' '.join(cmd[1:]), flush=True)
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode: # a variant that fails (`torch.compile` without a compiler) is recorded with its error's last line
                r = dict(size=size, channels_last=cl, compile=comp, threads=th, error=p.stderr.strip().splitlines()[-1])
            else: r = json.loads(p.stdout.strip().splitlines()[-1])
            recs.append(dict(r, machine=f'{cpu}, {os.cpu_count()} cores', torch=torch.__version__)); print('  ', r, flush=True)
            out_f.write_text(json.dumps(recs, indent=1))
        return
    r = measure(a.data, a.arch, a.size, a.channels_last, a.compile, a.threads, a.epoch)
    if a.json: print(json.dumps(r)); return
    print(f"{a.arch} {a.size} px, channels_last {a.channels_last}, compile {a.compile}, {a.threads} thread(s): training "
          f"{r['train_images_s']:.1f} images/s" + (f" over a whole epoch ({r['epoch_s']} s, loss {r['train_loss']}, valid mAP {r['valid_map']})" if a.epoch else '')
          + f", validation {r['valid_images_s']:.1f} images/s")

if __name__ == '__main__': main()
