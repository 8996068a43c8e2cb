"""One set of numbers: every number with two decimals that README.md, BENCHMARKS.md and the notebooks quote must come
from a results file.

    python tools/check_numbers.py              # check: exit 1, one line per number found nowhere (file, line or cell, value)
    python tools/check_numbers.py --write      # first rewrite the generated blocks from the results files
    python tools/check_numbers.py --self-test  # show that the check fails on a wrong number and on a superseded one

What counts as a source, for a number `x.yz` (compared after rounding to 2 decimals, sign ignored):
- `benchmarks/*.json` (the results files, written by the runs that measured them): every number and every number in
  a string (except under a key `replaced`: earlier rows that another results file supersedes), and for every list of 2 to 12 numbers (a quantity over seeds) its mean and its standard deviation (sample
  and population); lists longer than 12 are curves (per epoch or step) and are not sources, so that a typo does not
  find a match in them by chance;
- not `benchmarks/paper.json`: the paper publishes one decimal, so no two-decimal number quotes it (its values
  are the source of the generated blocks' paper columns, and one-decimal numbers are not checked);
- for a notebook, its own outputs (text, HTML, streams): a notebook may quote what it printed.

Checked: README.md and BENCHMARKS.md line by line (the `<!-- numbers:NAME -->` blocks too, and whether they equal what
`--write` would put there), the markdown cells of `nbs/*.ipynb`, and, in every
notebook's outputs, the values that `SUPERSEDED` lists: numbers of an earlier session that a results file now replaces,
which must not come back anywhere. Numbers with one decimal (the paper's tables, rounded figures in prose) and integers
are not checked."""
import argparse, json, math, re, sys, tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NUM = re.compile(r'(?<![\w.])(?<!Python )(?<!torch )(?<!fastai )[+\-−]?\d+\.\d{2}(?!\d)(?!\.\d)') # not a version ("Python 3.11")
# value: what it was. The numbers of earlier sessions for experiments that a results file now holds (issue 16)
SUPERSEDED = {'69.30': 'AN seed 0 of an earlier session (README, 06, 16)', '69.25': 'AN seed 0 of the old leaderboard',
              '70.64': 'AN mean of an earlier demo_check', '70.32': "AN mean of 13's earlier runs (13's outputs hold it as LL-R's mean at delta_rel 0.1)", '70.30': 'AN mean of the old leaderboard',
              '87.26': 'full-label mean of an earlier demo_check', '73.86': 'LL-R (delta_rel 2) mean of an earlier demo_check'}

OWN_NUM = re.compile(r'(?<![\w.])[+\-−]?\d+\.\d{2,}(?!\.\d)') # a notebook's own outputs: printed to any precision, quoted rounded to 2 decimals
LEGIT_OUTPUTS = {('70.32', '13_delta_ablation')} # (value, notebook): an output that holds a superseded value as another quantity

def _key(x:float)->str: return f'{abs(x):.2f}'
def _signed(x:float)->str: return 's' + f'{x:+.2f}'.replace('-0.00', '+0.00')
def _keys(x:float)->set: return {_key(x), _signed(x)} # a source matches a claim with its sign, or one written without a sign
def _claim_key(v:str)->str:
    "How a claim is looked up: by its sign when it is written with one ('+0.41', '-2.28'), else by its size"
    x = float(v.replace('−', '-'))
    return _signed(x) if v[0] in '+-−' else _key(x)

def _numbers_in(obj, out:set):
    "Every number of a JSON value into `out` (as 2-decimal strings), with the mean and sd of short numeric lists"
    if isinstance(obj, bool) or obj is None: return
    if isinstance(obj, (int, float)):
        if math.isfinite(obj): out.update(_keys(obj))
    elif isinstance(obj, str):
        for m in NUM.findall(obj): out.update(_keys(float(m.replace('−', '-'))))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if k != 'replaced': _numbers_in(v, out) # `replaced`: rows a later results file supersedes, kept as measured but no source
    elif isinstance(obj, list):
        nums = [v for v in obj if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if nums and len(nums) == len(obj):
            if len(nums) > 12: return # a curve
            if len(nums) > 1:
                mu = sum(nums)/len(nums); ss = sum((v - mu)**2 for v in nums)
                out.update(_keys(mu) | _keys(math.sqrt(ss/len(nums))) | _keys(math.sqrt(ss/(len(nums) - 1))))
        for v in obj: _numbers_in(v, out)
        recs = [v for v in obj if isinstance(v, dict)]
        groups = {} # records of one experiment over seeds: the same short text fields (scheme, method) and delta_rel
        for r in recs:
            k = tuple(sorted((f, v) for f, v in r.items() if (isinstance(v, str) and len(v) <= 30) or f == 'delta_rel'))
            groups.setdefault(k, []).append(r)
        tm = {k: {r['seed']: r['test_map'] for r in g if 'seed' in r and isinstance(r.get('test_map'), (int, float))} for k, g in groups.items()}
        tm = {k: v for k, v in tm.items() if 1 < len(v) <= 12}
        for a in tm.values(): # gaps between two experiments of one file: of the means, and seed by seed
            for b in tm.values():
                if a is not b and a.keys() == b.keys():
                    out.update(_keys(sum(a.values())/len(a) - sum(b.values())/len(b)))
                    for s in a: out.update(_keys(a[s] - b[s]))
        for g in groups.values():
            for f in {f for r in g for f, v in r.items() if isinstance(v, (int, float)) and not isinstance(v, bool) and f != 'seed'}:
                vals = [r[f] for r in g if isinstance(r.get(f), (int, float))]
                if 1 < len(vals) <= 12: _numbers_in(vals, out)

def result_numbers(root:Path=REPO)->set:
    "The numbers of every results file `benchmarks/*.json`; not `paper.json`, whose values have one decimal: a two-decimal claim is never the paper's, and 69.3 must not excuse 69.30"
    out = set()
    for f in sorted((root/'benchmarks').glob('*.json')):
        if f.name != 'paper.json': _numbers_in(json.loads(f.read_text()), out)
    return out

def _text(x): return ''.join(x) if isinstance(x, list) else (x or '')

def output_texts(cell)->list:
    "The text of a code cell's outputs: streams, text/plain, text/html, text/markdown"
    res = []
    for o in cell.get('outputs', []):
        if 'text' in o: res.append(_text(o['text']))
        for k in ('text/plain', 'text/html', 'text/markdown'): res.append(_text(o.get('data', {}).get(k)))
    return res

def claims(text:str):
    "(line number, value as written) of every 2-decimal number in `text`"
    for i, line in enumerate(text.splitlines(), 1):
        for m in NUM.findall(line): yield i, m

def check(root:Path=REPO, md_files=('README.md', 'BENCHMARKS.md'), nb_glob='nbs/*.ipynb')->list:
    "One line per number found in no source: 'file:line: value ...'"
    src, bad = result_numbers(root), []
    def judge(where, v, own=frozenset()):
        k = _claim_key(v)
        if k in src or k in own: return
        a = _key(float(v.replace('−', '-')))
        why = f" (superseded: {SUPERSEDED[a]})" if a in SUPERSEDED else ''
        bad.append(f"{where}: {v} is in no results file{why}")
    for f in md_files:
        p = root/f
        if p.exists():
            for i, v in claims(p.read_text()): judge(f'{f}:{i}', v)
    for p in sorted(q for q in root.glob(nb_glob) if not q.name.startswith('_')): # `_x.ipynb`: scratch, as nbdev skips them
        nb = json.loads(p.read_text())
        own = set()
        for c in nb['cells']:
            for t in output_texts(c):
                for m in OWN_NUM.findall(t): own.update(_keys(float(m.replace('−', '-'))))
        for j, c in enumerate(nb['cells']):
            rel = p.relative_to(root)
            if c['cell_type'] == 'markdown':
                for i, v in claims(_text(c['source'])): judge(f'{rel}:cell {j} line {i}', v, own)
            for t in output_texts(c):
                for i, v in claims(t):
                    k = _key(float(v.replace('−', '-')))
                    if k in SUPERSEDED and k not in src and not (k, p.stem) in LEGIT_OUTPUTS: bad.append(f"{rel}:cell {j} output line {i}: {v} (superseded: {SUPERSEDED[k]})")
    return bad

# The generated blocks: `<!-- numbers:NAME -->` ... `<!-- /numbers -->`, rendered from the results files
def _load(root, name):
    p = root/'benchmarks'/name
    return json.loads(p.read_text()) if p.exists() else None

def _pm(m, s): return f'{m:.2f} ± {s:.2f}'

def _block_demo(root):
    d, lb = _load(root, 'demo_check.json'), _load(root, 'leaderboard.json')
    t = d['table'] if d else {}
    runs = {(r['scheme'], r['seed']): r for r in (d['runs'] if d else [])}
    lb_runs = {(r['method'], r['seed']): r for r in (lb or {}).get('demo', {}).get('runs', [])}
    rows, notes = [], []
    names = {'AN': 'AN (single positive, the rest negative)', 'LL-R': 'LL-R, `delta_rel` 2 (the default run)',
             'LL-Ct': 'LL-Ct, `delta_rel` 0.5 (its default)', 'full': 'full labels'}
    for s, name in names.items():
        cells, vals, srcs = [], [], set()
        for seed in (0, 1, 2):
            if (s, seed) in runs: v = runs[(s, seed)]['test_map']; srcs.add('demo_check')
            elif s == 'full' and ('full', seed) in lb_runs: v = lb_runs[('full', seed)]['test_map']; srcs.add('leaderboard')
            else: v = None
            cells.append('–' if v is None else f'{v:.2f}'); vals.append(v)
        got = [v for v in vals if v is not None]
        import statistics as st
        mean = _pm(st.mean(got), st.stdev(got)) if len(got) > 1 else '–'
        mark = '' if srcs <= {'demo_check'} else ' ²' if srcs == {'leaderboard'} else ' ¹'
        rows.append(f'| {name}{mark} | ' + ' | '.join(cells) + f' | {mean} |')
    lines = ['| training labels | seed 0 | seed 1 | seed 2 | mean ± sd |', '|---|---|---|---|---|', *rows, '']
    who = {}
    for r in runs.values():
        m = r.get('machine')
        k = r['trained_by'] + (f", {m['cpu']}, {m['cores']} cores, {m['threads']} threads, torch {m['torch']}" if m else '')
        who.setdefault(k, []).append(f"{r['scheme']} {r['seed']}")
    lines.append('From `benchmarks/demo_check.json` (sd: the sample standard deviation over the seeds; –: not in a results file yet, '
                 '`python tools/demo_check.py` measures it). Runs: ' + '; '.join(f"{', '.join(v)}: {k}" for k, v in who.items()) + '.'
                 + (' ² From `benchmarks/leaderboard.json`: the same flags, trained in an earlier session on another 2-core machine, '
                    'one thread per run (`tools/leaderboard.py`).' if any(' ²' in r for r in rows) else ''))
    if 'AN' in t and t['AN'].get('fn_peak_epochs'):
        a = t['AN']; fp = [x for x in a['fn_peak_epochs'] if x]; lp = [x for x in a['fn_last_over_peak'] if x is not None]
        lines.append('')
        lines.append(f"Under AN the mean loss of the false negatives rises until epoch {min(fp)}"
                     + (f" to {max(fp)}" if max(fp) != min(fp) else '') + f" and then falls (to {min(lp)*100:.0f} to {max(lp)*100:.0f} % of its "
                     f"peak by epoch 16): the network memorizes them, and its test mAP falls from its peak in epochs {min(a['peak_epochs'])} "
                     f"to {max(a['peak_epochs'])} to {_pm(a['last_mean'], a['last_sd'])} in epoch 16 (seeds {', '.join(map(str, a['seeds']))}).")
        if 'LL-R minus AN' in t and t['LL-R minus AN']['seeds']:
            g = t['LL-R minus AN']
            lines.append(f"LL-R rejects the largest losses and the false negatives' loss is never pushed down: LL-R minus AN, seed by seed "
                         f"({', '.join(map(str, g['seeds']))}): " + ', '.join(f'{x:+.2f}' for x in g['test_map']) + ' for the kept model, '
                         + ', '.join(f'{x:+.2f}' for x in g['last_test']) + ' in the last epoch.')
    import textwrap
    return '\n'.join(l if l.startswith('|') or not l else textwrap.fill(l, 118, break_on_hyphens=False, break_long_words=False) for l in lines)

def _lb_table(lb, ds, paper=True):
    rows = lb[ds]['table']; runs = lb[ds]['runs']
    src = {r['method']: r.get('source', 'leaderboard') for r in runs}
    pap = {}
    if paper and (root_paper := _load(REPO, 'paper.json')):
        for m, v in root_paper.get('table2_end_to_end', {}).items(): pap[m] = ' / '.join(f'{x:.1f}' for x in v.values())
    head = '| method | test mAP, mean ± sd | seeds 0 / 1 / 2 | vs AN |' + (' paper: VOC / COCO / NUS / CUB |' if paper else '')
    out = [head, '|---|---|---|---|' + ('---|' if paper else '')]
    for r in rows:
        sd = {x['seed']: x['test_map'] for x in runs if x['method'] == r['method']}
        mark = ' ¹' if src.get(r['method'], 'leaderboard') != 'leaderboard' else ''
        out.append(f"| {r['method']}{mark} | {_pm(r['mean'], r['std'])} | " + ' / '.join(f'{sd[s]:.2f}' for s in sorted(sd))
                   + f" | {r.get('vs_AN', float('nan')):+.2f} |" + (f" {pap.get(r['method'], '')} |" if paper else ''))
    return '\n'.join(out)

def _block_lb_readme(root):
    lb = _load(root, 'leaderboard.json')
    def row(ds, label):
        t = {r['method']: r for r in lb[ds]['table']}
        part = [r for r in lb[ds]['table'] if r['method'] != 'full']
        f = lambda r: f"{r['method']} {_pm(r['mean'], r['std'])}"
        return (f"| {label} | {f(part[0])} | {f(part[1])} | {_pm(t['LL-R']['mean'], t['LL-R']['std'])} | "
                f"{_pm(t['AN']['mean'], t['AN']['std'])} | {_pm(t['full']['mean'], t['full']['std'])} |")
    return '\n'.join(['| data | best partial-label method | next | LL-R (demo: `delta_rel` 1, chosen on validation mAP in `13_delta_ablation`) | AN | full labels |',
                      '|---|---|---|---|---|---|', row('demo', 'demo (CNN from scratch)'), row('corel5k', 'corel5k (features, 374 labels)')])

BLOCKS = {'demo': _block_demo, 'leaderboard': _block_lb_readme,
          'leaderboard-demo': lambda root: _lb_table(_load(root, 'leaderboard.json'), 'demo'),
          'leaderboard-corel5k': lambda root: _lb_table(_load(root, 'leaderboard.json'), 'corel5k', paper=False)}
BLOCK = re.compile(r'(<!-- numbers:([\w-]+) -->\n)(.*?)(<!-- /numbers -->)', re.S)

def render(text:str, root:Path=REPO)->str:
    "`text` with every generated block rewritten from the results files"
    return BLOCK.sub(lambda m: m.group(1) + BLOCKS[m.group(2)](root).rstrip('\n') + '\n' + m.group(4), text)

BLOCK_FILES = ('README.md', 'BENCHMARKS.md', 'nbs/06_demo.ipynb')

def stale_blocks(root:Path=REPO, write=False)->list:
    "The files whose generated blocks differ from the results files (rewritten when `write`)"
    stale = []
    for f in BLOCK_FILES:
        p = root/f
        if not p.exists(): continue
        if p.suffix == '.ipynb':
            nb = json.loads(p.read_text()); changed = False
            for c in nb['cells']:
                if c['cell_type'] != 'markdown': continue
                s = _text(c['source']); new = render(s, root)
                if new != s: changed = True; c['source'] = new.splitlines(True)
            if changed:
                stale.append(f)
                if write: p.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
        else:
            s = p.read_text(); new = render(s, root)
            if new != s:
                stale.append(f)
                if write: p.write_text(new)
    return stale

def self_test():
    "A copy of the repository's results with a README that quotes a wrong and a superseded number: the check must fail on both, and pass without them"
    with tempfile.TemporaryDirectory() as d:
        d = Path(d); (d/'benchmarks').mkdir(); (d/'nbs').mkdir()
        (d/'benchmarks'/'r.json').write_text(json.dumps({'runs': [{'seed': 0, 'test_map': 68.88668}, {'seed': 1, 'test_map': 70.9777}],
                                                        'curve': [float(i) + 0.5 for i in range(20)]}))
        ok = 'AN seed 0: 68.89, seed 1: 70.98, mean 69.93 ± 1.48 (sample sd) or ± 1.05 (population).\nTorch 2.14.1, 5e-4, 1.5 labels.\n'
        (d/'README.md').write_text(ok)
        nb = dict(cells=[dict(cell_type='markdown', source=['It printed 12.34.']),
                         dict(cell_type='code', source=['x'], outputs=[dict(output_type='stream', name='stdout', text=['12.34\n'])])])
        (d/'nbs'/'a.ipynb').write_text(json.dumps(nb))
        assert check(d) == [], check(d)
        (d/'README.md').write_text(ok + 'AN seed 0: 69.30; a curve value 3.50 is not a source; seed 0: +68.89, not -68.89.\n')
        bad = check(d)
        assert len(bad) == 3 and bad[0].startswith('README.md:3: 69.30') and 'superseded' in bad[0] and '3.50' in bad[1], bad
        assert '-68.89' in bad[2], bad # a sign written is a sign checked
        nb['cells'][1]['outputs'][0]['text'] = ['70.30\n'] # a notebook printing a superseded number, and a markdown number it no longer prints
        (d/'nbs'/'a.ipynb').write_text(json.dumps(nb))
        bad = check(d)
        assert any('nbs/a.ipynb:cell 0 line 1: 12.34' in b for b in bad) and any('output line 1: 70.30' in b for b in bad), bad
    print('self-test passed: the check fails on a wrong number, a superseded one, a curve value, a wrong sign, and a notebook number it no longer prints')

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--write', action='store_true', help='rewrite the generated blocks first')
    p.add_argument('--self-test', action='store_true')
    a = p.parse_args(argv)
    if a.self_test: self_test(); return 0
    stale = stale_blocks(write=a.write)
    bad = [] if a.write else [f'{f}: a generated block differs from the results files (python tools/check_numbers.py --write)' for f in stale]
    bad += check()
    for b in bad: print(b)
    print(f"{len(bad)} number(s) disagree" if bad else 'every 2-decimal number is found in a results file')
    return 1 if bad else 0

if __name__ == '__main__': sys.exit(main())
