"""Lay out the docs site's source in `build/docs_src` from `nbs/` (the notebooks stay the one source; nothing tracked
is written). Each notebook becomes a page named as nbdev names it (`04_callbacks.ipynb` -> `callbacks.html`, so a
page keeps its address when a chapter is renumbered); nbdev's cell directives are applied (`#| hide` drops a cell,
`#| echo: false` its input, `#| output: false` its output; a `show_doc` cell shows its output only and an exported
cell's code is folded; directive lines are not shown). A live widget's output (an ipywidgets slider) is dropped: the
site cannot run it offline and its text is only the widget's repr; the notebook shows a static frame beside it. The home page is
`index.ipynb` (generated from README.md) with the navigation added as hidden toctrees, generated from the files by
their number prefix, so that a new notebook appears without editing a list:

- "The paper in five minutes": `paper_in_five_minutes.ipynb`, when it exists;
- "Paper chapters": 00-06; "Engineering chapters": 07-09; "Analyses": 10 and up;
- "Other pages": any other notebook (none is dropped).

Usage: python tools/docs_source.py [DEST]"""
import json, re, shutil, sys
from pathlib import Path
from nbdev.config import nbpath2html

root = Path(__file__).resolve().parent.parent
NBS = root/'nbs'
FIVE_MINUTES = 'paper_in_five_minutes'
SECTIONS = [('Paper chapters', 0, 7), ('Engineering chapters', 7, 10), ('Analyses', 10, 10**6)]
ASSETS = ['images']  # folders of nbs/ that pages refer to

def page_name(nb_path):
    "The site's page name of a notebook: nbdev's (number prefix dropped), e.g. '04_callbacks.ipynb' -> 'callbacks'"
    return nbpath2html(Path(nb_path).name).stem

def chapter_number(nb_path):
    "The number prefix of a notebook's name ('04b_methods' -> 4), None for a name without one"
    m = re.match(r'(\d+)', Path(nb_path).stem)
    return int(m.group(1)) if m else None

def site_sections(nbs=NBS):
    "[(caption, [notebook paths in chapter order])] for the navigation; every notebook but the index is in one"
    # like nbdev, skip names starting with '_' or '.' (scratch notebooks)
    nbs_ = sorted(p for p in Path(nbs).glob('*.ipynb') if p.stem != 'index' and not p.name.startswith(('_', '.')))
    five = [p for p in nbs_ if p.stem == FIVE_MINUTES]
    res = [('The paper in five minutes', five)] if five else []
    for cap, lo, hi in SECTIONS:
        res.append((cap, [p for p in nbs_ if chapter_number(p) is not None and lo <= chapter_number(p) < hi]))
    placed = {p for _, ps in res for p in ps}
    res.append(('Other pages', [p for p in nbs_ if p not in placed]))
    return [(cap, ps) for cap, ps in res if ps]

_DIRECTIVE = re.compile(r'^\s*#\|\s*(.*?)\s*$')

def directives(source):
    "`(options, rest)`: the cell's leading `#|` directive lines as {name: value} and the source without them"
    lines, opts = source.splitlines(True), {}
    n = 0
    while n < len(lines) and (m := _DIRECTIVE.match(lines[n])):
        d = m.group(1)
        name, _, val = d.partition(':') if ':' in d else d.partition(' ')
        opts[name.strip()] = val.strip()
        n += 1
    return opts, ''.join(lines[n:])

SHOW_DOC = re.compile(r'\s*show_doc\(')
_QUARTO_LINK_ATTRS = re.compile(r'\)\{target="_blank" style="float:right; font-size:smaller"\}')

def _source_link(out):
    "show_doc's markdown for MyST: `[source](url){.showdoc-source}` for Quarto's link attributes, no leading rule"
    md = out.get('data', {}).get('text/markdown')
    if md is None: return out
    md = _QUARTO_LINK_ATTRS.sub('){.showdoc-source}', ''.join(md))
    md = re.sub(r'\A\s*---\s*\n', '', md)  # its leading rule: docutils allows none inside an output
    return dict(out, data=dict(out['data'], **{'text/markdown': md}))

WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json'

def _static_output(out):
    "False for a widget's output: offline the site cannot run it, and its text/plain is the widget's repr, not content"
    return WIDGET_VIEW not in out.get('data', {})

def render_cells(nb):
    """The notebook's cells as the site shows them, as nbdev's docs show them: `hide` drops a cell, `echo: false` and
    `show_doc` cells show their output only, exported code is folded (a click shows it), directive lines are not shown"""
    cells = []
    for c in nb['cells']:
        opts, src = directives(''.join(c['source']))
        if 'hide' in opts or opts.get('include') == 'false': continue
        if c['cell_type'] == 'code' and not src.strip() and not c.get('outputs'): continue
        c = dict(c, source=src.strip('\n'))
        tags = list(c.get('metadata', {}).get('tags', []))
        if opts.get('echo') == 'false' or SHOW_DOC.match(src): tags.append('remove-input')
        elif c['cell_type'] == 'code' and opts.keys() & {'export', 'exporti', 'exports'}: tags.append('hide-input')
        if opts.get('output') == 'false': tags.append('remove-output')
        if c['cell_type'] == 'code': c['outputs'] = [_source_link(o) for o in c.get('outputs', []) if _static_output(o)]
        if tags: c['metadata'] = dict(c.get('metadata', {}), tags=tags)
        cells.append(c)
    return cells

def toctree_cell(sections):
    "A markdown cell with one hidden toctree per section"
    trees = []
    for cap, ps in sections:
        trees.append('```{toctree}\n:hidden:\n:caption: ' + cap + '\n\n' + '\n'.join(page_name(p) for p in ps) + '\n```')
    return dict(cell_type='markdown', id='site-nav', metadata={}, source='\n\n'.join(trees))

def write_if_changed(path, text):
    "Write `text` to `path` only when it differs (keeps Sphinx's incremental build)"
    if not path.exists() or path.read_text(encoding='utf-8') != text: path.write_text(text, encoding='utf-8')

def build_source(dest):
    "Write the site's source into `dest`, removing pages whose notebook is gone"
    dest = Path(dest); dest.mkdir(parents=True, exist_ok=True)
    sections = site_sections()
    pages = {}
    for p in [NBS/'index.ipynb'] + [p for _, ps in sections for p in ps]:
        name = page_name(p)
        if name in pages: sys.exit(f'docs: {p.name} and {pages[name].name} would both be the page {name}.html')
        pages[name] = p
    for name, p in pages.items():
        nb = json.loads(p.read_text(encoding='utf-8'))
        nb['cells'] = render_cells(nb) + ([toctree_cell(sections)] if name == 'index' else [])
        write_if_changed(dest/f'{name}.ipynb', json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    for f in dest.glob('*.ipynb'):
        if f.stem not in pages: f.unlink()
    for a in ASSETS:
        if (NBS/a).is_dir(): shutil.copytree(NBS/a, dest/a, dirs_exist_ok=True)
    return sections

if __name__ == '__main__':
    for cap, ps in build_source(sys.argv[1] if len(sys.argv) > 1 else root/'build'/'docs_src'):
        print(f'{cap}: ' + ', '.join(page_name(p) for p in ps))
