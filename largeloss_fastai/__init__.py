"""Large Loss Matters (CVPR 2022) for weakly supervised multi-label classification, in fastai"""

__version__ = "0.1.0"

from . import core as _core # imports fastai once, without the deprecation warning its import gives (see `core`)
