"""Large Loss Matters (CVPR 2022) for weakly supervised multi-label classification, in fastai

Modules:

- `largeloss_fastai.baselines`: IU, WAN, LSAN and EPR (Cole et al., CVPR 2021), EM (Zhou et al., ECCV 2022), Hill and SPLC (Zhang et al., 2021), GR-Loss (Chen et al., IJCAI 2024): pure loss functions and small loss classes with the call interface of `AssumeNegativeBCE`.
- `largeloss_fastai.bench`: `largeloss-bench` measures, side by side so that the machine's noise cancels, what the large-loss schemes add to a training step, how fastai's loop compares with a plain PyTorch loop, how fast images are loaded, and how the cost grows with the number of classes and the batch.
- `largeloss_fastai.callbacks`: `LabelStoreCallback` feeds the current training labels, `LargeLossCallback` applies LL-R, LL-Ct or LL-Cp, and `BestModelCallback` implements the paper's model selection and early stopping.
- `largeloss_fastai.checkpoint`: Everything the rest of a run depends on, written after each epoch so that an interrupted run continues as if it never stopped.
- `largeloss_fastai.cli`: One command trains AN, LL-R, LL-Ct, LL-Cp or full labels with the paper's protocol, shows progress, and writes `metrics.json` and plots. With no flags it runs LL-R on the embedded demo dataset.
- `largeloss_fastai.datasets`: Readers for PASCAL VOC, MS-COCO, NUS-WIDE, CUB-200-2011 and any folder of images with a label CSV, files interchangeable with the reference code's, one `LabelledImages` result that `PartialDataLoaders` reads, and the `largeloss-prepare` command that checks a copy and writes the reference's files.
- `largeloss_fastai.distributed`: Several processes (GPUs, or CPU cores with gloo) train one model through fastai's distributed support and Hugging Face `accelerate`; LL-Cp's flipped labels are gathered so that every process holds the same label store.
- `largeloss_fastai.features`: Read multi-label benchmarks in MULAN's ARFF format, make `PartialDataLoaders` from them with the paper's protocol, and compute (and cache) the pooled features of an image model once, for training a linear head on top.
- `largeloss_fastai.learner`: An image learner for partial labels (ImageNet weights when they are on disk), the paper's optimizers and head learning rate, `End-to-end` and `LinearInit` training, and the train/select/test protocol.
- `largeloss_fastai.methods`: A label matrix trained beside the network (ROLE), pseudo-labels written between epochs (EM+APL) and a classifier head that boosts its class activation maps (BoostLU): each a loss and/or a small piece that composes with fastai."""

__version__ = "0.1.0"

from . import core as _core # imports fastai once, without the deprecation warning its import gives (see `core`)
