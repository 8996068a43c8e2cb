"""Print every line of the exported library (`largeloss_fastai/*.py`, `_modidx.py` aside) longer than `--max` characters,
as `file:line: N characters`; exit 1 if there is any.
The lines come from the notebooks: fix them there (`nbs/`), then `nbdev-export`. The first line of each `__all__` list
is left out: nbdev 3 wraps the names at 120 characters and then puts `__all__ = ` in front, so that line can reach 130,
and no notebook edit changes it."""
import argparse, sys
from pathlib import Path

def long_lines(lib:Path, limit:int)->list:
    "(file, line number, length) of each line of `lib/*.py` over `limit` characters, `_modidx.py` aside"
    return [(f, i, len(l)) for f in sorted(lib.glob('*.py')) if f.name != '_modidx.py'
            for i, l in enumerate(f.read_text(encoding='utf-8').splitlines(), 1)
            if len(l) > limit and not l.startswith('__all__ = [')]

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--max', type=int, default=120, help='longest line allowed, in characters (default: 120)')
    p.add_argument('--lib', default=str(Path(__file__).resolve().parent.parent/'largeloss_fastai'),
                   help='the package folder (default: largeloss_fastai beside tools/)')
    a = p.parse_args()
    lib = Path(a.lib)
    res = long_lines(lib, a.max)
    for f, i, n in res: print(f"{f.relative_to(lib.parent)}:{i}: {n} characters")
    print(f"{len(res)} line(s) over {a.max} characters", file=sys.stderr)
    sys.exit(1 if res else 0)
