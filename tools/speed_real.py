"""Training and inference speed of a backbone on real photos, with the real data pipeline (decoding, resizing,
flipping, normalizing) and `largeloss-train`'s learner, in images per second.

    python tools/speed_real.py --size 128 --channels_last            # efficientnet_lite0 on the VOC photos
    python tools/speed_real.py --size 224 --threads 1

Times training batches 6 to 35 of an LL-R run (the first five warm up), then one pass over the validation images.
Run it on otherwise idle cores: other jobs change the numbers."""
import argparse, sys, time, warnings
from pathlib import Path
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
import torch
from fastai.callback.core import Callback, CancelFitException
from largeloss_fastai.protocol import RunConfig, build_dls, build_learner

class _Timer(Callback):
    "Images per second of training batches `start` to `stop`, then cancel the fit"
    def __init__(self, start=5, stop=35): self.start, self.stop, self.speed = start, stop, None
    def before_batch(self):
        if self.iter == self.start: self.t0 = time.time()
        if self.iter == self.stop: self.speed = (self.stop - self.start) * self.dls.train.bs / (time.time() - self.t0); raise CancelFitException

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data', default=str(REPO.parent/'shared'/'data'/'voc2012_subset'), help='a PASCAL VOC folder')
    p.add_argument('--arch', default='efficientnet_lite0'); p.add_argument('--size', type=int, default=128)
    p.add_argument('--channels_last', action='store_true'); p.add_argument('--threads', type=int, default=torch.get_num_threads())
    a = p.parse_args()
    if not Path(a.data).is_dir(): sys.exit(f"error: data folder {a.data} does not exist")
    torch.set_num_threads(a.threads)
    cfg = RunConfig(dataset='pascal', data_path=a.data, arch=a.arch, size=a.size, channels_last=a.channels_last, method='LL-R', delta_rel=0.4)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore'); dls = build_dls(cfg); learn = build_learner(cfg, dls)
    timer = _Timer()
    with learn.no_bar(), learn.no_logging(): learn.fit(1, cbs=timer)
    t = time.time()
    with learn.no_bar(): learn.get_preds(dl=dls.valid)
    print(f"{a.arch} {a.size} px, channels_last {a.channels_last}, {a.threads} thread(s): training {timer.speed:.1f} images/s, "
          f"validation {len(dls.valid.dataset) / (time.time() - t):.1f} images/s")

if __name__ == '__main__': main()
