"""One CRISP run on the demo (seed 0, the demo's settings, 6 epochs): its estimated priors after each epoch beside the
training images' true priors, and the validation mAP of each epoch.

    python tools/crisp_priors.py      # writes benchmarks/crisp_demo_priors.json (about 4 to 8 minutes on 2 CPU cores)"""
import json, sys, time, warnings
from pathlib import Path
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
import largeloss_fastai.core
from largeloss_fastai.config import RunConfig
from largeloss_fastai.protocol import build_dls, build_learner
from largeloss_fastai.learner import fit_protocol
from fastai.basics import set_seed
import torch
torch.set_num_threads(1)
cfg = RunConfig(method='CRISP', num_epochs=6, seed=0).resolve()
set_seed(0, reproducible=True)
with warnings.catch_warnings():
    warnings.simplefilter('ignore'); dls = build_dls(cfg); learn = build_learner(cfg, dls)
t = time.time()
with learn.no_bar(), learn.no_logging(): res = fit_protocol(learn, cfg.num_epochs, max_drop=None)
cb = next(c for c in learn.cbs if type(c).__name__ == 'CRISPCallback')
from largeloss_fastai.data import training_rows
true = dls.label_store.clean[training_rows(dls)].float().mean(0).tolist()
out = dict(command='python tools/crisp_priors.py: largeloss-train --mod_scheme CRISP --num_epochs 6 on the demo, seed 0, with the priors CRISPCallback logs', true_priors=true,
           epochs=[dict(epoch=l['epoch'] + 1, priors=l['priors'], mean_abs_error=l['mean_abs_error'], val_map=e['mAP']) for l, e in zip(cb.log, res['epochs'])],
           val_map_epoch1=res['epochs'][0]['mAP'], wall_s=round(time.time() - t, 1), threads=1)
json.dump(out, open(REPO/'benchmarks'/'crisp_demo_priors.json', 'w'), indent=1)
print(json.dumps(dict(true=[round(v, 2) for v in true], **{f"e{l['epoch']+1}": [round(v, 2) for v in l['priors']] for l in cb.log}, err=[round(l['mean_abs_error'], 3) for l in cb.log], val=[round(e['mAP'], 1) for e in res['epochs']])))
