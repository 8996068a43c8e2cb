"""Large Loss Matters (CVPR 2022) for weakly supervised multi-label classification, in fastai"""

__version__ = "0.1.0"

# Nothing is imported here: `largeloss_fastai.config` and `largeloss_fastai.cli` import no PyTorch, so that the console
# scripts start at once. Every module that imports fastai imports `core` first, which imports it without the
# deprecation warning its import gives (see `core`).
