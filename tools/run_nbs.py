"""Execute notebooks in full (not the reduced configuration of `nbdev-test`) and save their outputs in place.

    python tools/run_nbs.py nbs/10_memorization.ipynb ...

Each notebook runs in its own folder, as `nbdev-test` does; it stops at the first error and then writes nothing.
Text output is kept as a terminal would show it: of the progress bars' carriage-return updates only the final lines
(fastai's epoch table) stay. Run `nbdev-clean` afterwards. This is how the analysis notebooks get the outputs they are committed with."""
import argparse, json, os, time
from pathlib import Path
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory

def as_terminal(text):
    "What a terminal shows of `text`: each line's last carriage-return segment, bar-only and blank lines dropped"
    lines = [l.split('\r')[-1].rstrip() for l in text.split('\n')]
    return '\n'.join(l for l in lines if l.strip() and set(l.strip()) != {'█'}) + ('\n' if text.endswith('\n') else '')

def clean_streams(fn):
    "Rewrite the stream outputs of notebook `fn` with `as_terminal`, dropping those left empty (progress bars only)"
    nb = json.loads(Path(fn).read_text())
    for c in nb['cells']:
        for o in c.get('outputs', []):
            if o['output_type'] == 'stream': o['text'] = as_terminal(''.join(o['text'])).splitlines(True)
        if 'outputs' in c: c['outputs'] = [o for o in c['outputs'] if o['output_type'] != 'stream' or o['text']]  # a bar's stream, emptied
    Path(fn).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')

p = argparse.ArgumentParser(description=__doc__)
p.add_argument('nbs', nargs='+', help='notebooks to execute')
a = p.parse_args()
os.environ.pop('IN_TEST', None)
for fn in map(Path, a.nbs):
    t0 = time.time()
    with working_directory(fn.parent): CaptureShell(fn.name, mpl_format='png').execute(fn.name, fn.name, exc_stop=True)
    clean_streams(fn)
    print(f'{fn}: {time.time() - t0:.0f} s', flush=True)
