"""Lay out the docs site's source in `build/docs_src` from `nbs/` (the notebooks stay the one source; nothing tracked
is written). Each notebook becomes a page named as nbdev names it (`04_callbacks.ipynb` -> `callbacks.html`, so a
page keeps its address when a chapter is renumbered); nbdev's cell directives are applied (`#| hide` drops a cell,
`#| echo: false` its input, `#| output: false` its output; a `show_doc` cell shows its output only and an exported
cell's code is folded; directive lines are not shown). A live widget's output (an ipywidgets slider) is dropped: the
site cannot run it offline and its text is only the widget's repr; the notebook shows a static frame beside it. The home page is
`index.ipynb` (generated from README.md) with the navigation added as hidden toctrees, generated from the files by
their number prefix, so that a new notebook appears without editing a list:

- "The paper in five minutes": `paper_in_five_minutes.ipynb`, when it exists;
- "Paper chapters": 00-06 without a letter; "Beyond the paper: later methods": the lettered ones among them (02b, 04b);
  "Engineering chapters": 07-09, and first an engineering chapter among 00-06 (`01b_registry`, which says
  "*An engineering chapter*"); "Analyses": 10 and up;
- "Other pages": any other notebook (none is dropped); then "Reference": the README, as a page of its own.

What a reader of the site needs beyond the notebooks, added here so that every notebook stays the one source:

- names link to their pages, as nbdev's renderer links them: in the prose (markdown cells), a backticked exported
  name (`LargeLossCallback`, `large_loss_k`, a module such as `losses`) links to its `show_doc` entry, a chapter's
  name (`10_memorization`, with or without backticks, `nbs/` or `.ipynb`) to its page, and the first use of a
  glossary term on a page to its entry in the glossary (when `nbs/glossary.ipynb` exists);
- `show_doc`'s "source" links point to the site's own copy of the module (`src/<module>.html`, highlighted, one
  anchor per line, the line of the definition as the exported code has it today); a fastai `Callback` subclass
  without an `__init__` of its own shows `()` as its signature, not fastai's ~25 event-handler keywords;
- a chapter's title starts with its number (`10_memorization`: "10 · The memorization effect"), so that the name in
  the prose, the title in the navigation and the page's address (`memorization.html`) are easy to match;
- each page starts with a link to download its notebook (the file in `nbs/`, unchanged), and its section
  "Reproducibility" (run facts: machine, threads, run time) is folded.

Files that are not pages (module sources, notebooks) go to `build/docs_extra`, which the configuration copies into
the site as they are.

Usage: python tools/docs_source.py [DEST]"""
import ast, html, json, re, shutil, sys
from functools import cache
from pathlib import Path
from nbdev.config import nbpath2html

root = Path(__file__).resolve().parent.parent
NBS = root/'nbs'
FIVE_MINUTES = 'paper_in_five_minutes'
SECTIONS = [('Paper chapters', 0, 7), ('Engineering chapters', 7, 10), ('Analyses', 10, 10**6)]
ASSETS = ['images']  # folders of nbs/ that pages refer to
LIB = root/'largeloss_fastai'
README_PAGE = 'readme'    # the README as a page of the site ("Reference")
GLOSSARY = 'glossary'

def page_name(nb_path):
    "The site's page name of a notebook: nbdev's (number prefix dropped), e.g. '04_callbacks.ipynb' -> 'callbacks'"
    return nbpath2html(Path(nb_path).name).stem

def chapter_number(nb_path):
    "The number prefix of a notebook's name ('04b_methods' -> 4), None for a name without one"
    m = re.match(r'(\d+)', Path(nb_path).stem)
    return int(m.group(1)) if m else None

def _engineering(nb_path):
    "Whether a chapter says it is an engineering chapter (its introduction has the line '*An engineering chapter*')"
    cells = json.loads(Path(nb_path).read_text())['cells']
    return any('*An engineering chapter*' in ''.join(c['source']) for c in cells[:4] if c['cell_type'] == 'markdown')

def _later_method(nb_path):
    "A lettered paper-range chapter ('02b_baselines', '04b_methods') that is not an engineering chapter: the later papers' methods, not Kim et al.'s"
    return re.match(r'\d+[a-z]_', Path(nb_path).stem) is not None and not _engineering(nb_path)

def site_sections(nbs=NBS):
    "[(caption, [notebook paths in chapter order])] for the navigation; every notebook but the index is in one"
    # like nbdev, skip names starting with '_' or '.' (scratch notebooks)
    nbs_ = sorted(p for p in Path(nbs).glob('*.ipynb') if p.stem != 'index' and not p.name.startswith(('_', '.')))
    five = [p for p in nbs_ if p.stem == FIVE_MINUTES]
    res = [('The paper in five minutes', five)] if five else []
    eng = [] # engineering chapters numbered among the paper's
    for cap, lo, hi in SECTIONS:
        ps = [p for p in nbs_ if chapter_number(p) is not None and lo <= chapter_number(p) < hi]
        if cap == 'Paper chapters': # the later papers' methods (02b, 04b) apart, so that the paper's line reads on; an
            # engineering chapter that the paper's chapters need (01b_registry) goes first among the engineering chapters
            eng = [p for p in ps if _engineering(p)]
            res += [(cap, [p for p in ps if not _later_method(p) and p not in eng]), ('Beyond the paper: later methods', [p for p in ps if _later_method(p)])]
        elif cap == 'Engineering chapters': res.append((cap, eng + ps))
        else: res.append((cap, ps))
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

WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json'

def _static_output(out):
    "False for a widget's output: offline the site cannot run it, and its text/plain is the widget's repr, not content"
    return WIDGET_VIEW not in out.get('data', {})


# ---- show_doc: the source link and fastai's event keywords ----

_SRC_URL = re.compile(r'\]\(https?://[^)\s]*?/largeloss_fastai/(\w+)\.py(?:#L\w+)?\)')
_HEADING = re.compile(r'^#+\s+(\S+)', re.M)

@cache
def definition_lines(module):
    """{qualified name: line} of the definitions in `largeloss_fastai/<module>.py` (a decorator's line when it has one);
    fastcore's `@patch`ed functions count as methods of the class their `self` is annotated with"""
    tree = ast.parse((LIB/f'{module}.py').read_text(encoding='utf-8'))
    res = {}
    def first_line(n): return min([d.lineno for d in n.decorator_list] + [n.lineno])
    for n in tree.body:
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            res.setdefault(n.name, first_line(n))
        if isinstance(n, ast.ClassDef):
            for m in n.body:
                if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)): res[f'{n.name}.{m.name}'] = first_line(m)
        if isinstance(n, ast.FunctionDef) and n.args.args and isinstance(n.args.args[0].annotation, ast.Name) and \
           any('patch' in ast.unparse(d) for d in n.decorator_list):
            res[f'{n.args.args[0].annotation.id}.{n.name}'] = first_line(n)
        if isinstance(n, ast.Assign):
            for t in n.targets:
                if isinstance(t, ast.Name): res.setdefault(t.id, n.lineno)
    return res

def source_href(module, name=None, prefix=''):
    "The site's link to the definition of `name` in `module` (the module's top when it is not found)"
    line = definition_lines(module).get(name) if name else None
    return f'{prefix}src/{module}.html' + (f'#L-{line}' if line else '')

@cache
def callback_events():
    "fastai's callback event names: a `Callback` without its own `__init__` shows them all as keywords"
    from fastai.callback.core import _events
    return frozenset(_events)

_SIG = re.compile(r'```python\ndef (\w+)\(\n(.*?)\n\):\n```', re.S)

def _plain_callback_sig(m):
    "`def X()` for a signature made of fastai's callback-event keywords only"
    params = [q.strip().split(':')[0] for q in m.group(2).replace('\n', ' ').split(',') if q.strip() and q.strip() != '*']
    return f'```python\ndef {m.group(1)}()\n```' if params and set(params) <= callback_events() else m.group(0)

def _show_doc_md(out):
    """show_doc's markdown for MyST: the source link to the site's copy of the module, `[source](url){.showdoc-source}`
    for Quarto's link attributes, no leading rule, and a callback's signature without fastai's event keywords"""
    md = out.get('data', {}).get('text/markdown')
    if md is None: return out
    md = _QUARTO_LINK_ATTRS.sub('){.showdoc-source}', ''.join(md))
    md = re.sub(r'\A\s*---\s*\n', '', md)  # its leading rule: docutils allows none inside an output
    name = (h := _HEADING.search(md)) and h.group(1)
    md = _SRC_URL.sub(lambda m: '](' + source_href(m.group(1), name) + ')', md)
    md = _SIG.sub(_plain_callback_sig, md)
    return dict(out, data=dict(out['data'], **{'text/markdown': md}))

def write_sources(dest):
    "Every module of the library as a highlighted page `dest/src/<module>.html`, an anchor `L-<n>` per line"
    from pygments import highlight
    from pygments.lexers import PythonLexer
    from pygments.formatters import HtmlFormatter
    fmt = HtmlFormatter(linenos='inline', lineanchors='L', anchorlinenos=True)
    (dest/'src').mkdir(parents=True, exist_ok=True)
    for py in sorted(LIB.glob('*.py')):
        if py.name.startswith('_'): continue
        page = _module_pages().get(py.stem)
        back = f'<p><a href="../{page}.html">{html.escape(page)}</a>: the chapter that exports it</p>' if page else ''
        body = highlight(py.read_text(encoding='utf-8'), PythonLexer(), fmt)
        write_if_changed(dest/'src'/f'{py.stem}.html', f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>largeloss_fastai/{py.name}</title>
<style>body {{ font-family: sans-serif; margin: 1em 2em; }} pre {{ font-size: 13px; line-height: 1.35; }}
.linenos {{ color: #999; padding-right: 1em; }} a[href^="#L-"] {{ text-decoration: none; }} :target + a .linenos {{ background: #ffeb99; }}
{fmt.get_style_defs('.highlight')}</style></head>
<body><h1>largeloss_fastai/{html.escape(py.name)}</h1>{back}
<p>Exported by nbdev from the notebook; edit the notebook, not this file.</p>
{body}</body></html>
""")

# ---- names in the prose link to their pages ----

@cache
def _modidx():
    "nbdev's index of the library's exported names: {full name: (nbdev's url, file)}"
    ns = {}
    exec((LIB/'_modidx.py').read_text(encoding='utf-8'), ns)
    return {k: v for mod in ns['d']['syms'].values() for k, v in mod.items()}

@cache
def _module_pages():
    "{module: the page (notebook) that exports it}"
    return {k.split('.')[1]: v[0].split('#')[0].removesuffix('.html') for k, v in _modidx().items()}

def slugify(text):
    "The anchor MyST gives a heading (`myst_heading_anchors`)"
    from myst_parser.mdit_to_docutils.base import default_slugify
    return default_slugify(text)

@cache
def api_index(nbs=NBS):
    """{name: href} for every exported name and module: the `show_doc` entry of the name where a page has one (its
    heading's anchor), else the page that exports it; `Class.method` too"""
    documented = {}
    for p in sorted(Path(nbs).glob('*.ipynb')):
        for c in json.loads(p.read_text(encoding='utf-8'))['cells']:
            for o in c.get('outputs', []):
                md = ''.join(o.get('data', {}).get('text/markdown', ''))
                if '{target="_blank"' in md and (h := _HEADING.search(md)): documented.setdefault(h.group(1), f'{page_name(p)}.html#{slugify(h.group(1))}')
    res = {mod: f'{page}.html' for mod, page in _module_pages().items()}
    res.update({f'largeloss_fastai.{mod}': href for mod, href in list(res.items())})
    for full, (url, _) in _modidx().items():
        name = full.split('.', 2)[2]
        if name.split('.')[-1].startswith('_'): continue
        res[name] = documented.get(name, url.split('#')[0])
    return res

def chapter_pages(nbs=NBS):
    "{notebook stem: page} for every page of the site"
    return {p.stem: page_name(p) for p in Path(nbs).glob('*.ipynb') if not p.name.startswith(('_', '.'))}

# glossary terms: (pattern in the prose, the glossary's heading); the first use on a page links to the entry
GLOSSARY_TERMS = [
    (r'\bAN\b', 'AN (assume negative)'), (r'\bfalse negatives?\b|\bFNs?\b', 'TP, TN, FN'),
    (r'\bLL-R\b|\bLL-Ct\b|\bLL-Cp\b', 'LL-R, LL-Ct, LL-Cp'), (r'`delta_rel`', 'delta_rel'),
    (r'\bWarmup\b', 'Warmup and Regular'), (r'\bprecision of modification\b', 'Precision of modification'),
    (r'\bkept (?:epoch|model)\b', 'Kept epoch'), (r'\bEnd-to-end\b|\bE2E\b', 'End-to-end (E2E)'),
    (r'\bLinearInit\b', 'LinearInit'), (r'\bmemoriz(?:e|es|ed|ing|ation)\b', 'Memorization'), (r'\bmAP\b', 'mAP')]

# what the linker leaves alone: fenced code, links and images, math, raw HTML tags, headings, link definitions
_PROTECTED = re.compile(r'```.*?```|~~~.*?~~~|!?\[[^\]]*\]\([^)]*\)|\[[^\]]*\]\[[^\]]*\]|\$\$.*?\$\$|\$[^$\n]+\$|<[^>\n]+>|^#[^\n]*$|^\[[^\]]+\]:[^\n]*$|^:::[^\n]*$', re.S | re.M)

def link_names(md, page, glossary_used, nbs=NBS):
    """Link the names in one markdown cell's text: chapter names (`10_memorization`, with or without backticks, `nbs/`
    or `.ipynb`; names with an underscore, so that the words "index" and "glossary" stay words) to their pages, a
    backticked exported name to its API entry, and a glossary term's first use on the page (`glossary_used`, updated)
    to its entry. Inline code other than a name stays as it is."""
    api, chapters = api_index(nbs), {k: v for k, v in chapter_pages(nbs).items() if '_' in k}
    stems = '|'.join(sorted(map(re.escape, chapters), key=len, reverse=True)) or '(?!)'
    chapter = rf'(?:nbs/)?(?P<stem>{stems})(?:\.ipynb)?'
    bare = re.compile(rf'(?<![\w/.]){chapter}(?![\w/])')
    glossary = (Path(nbs)/f'{GLOSSARY}.ipynb').exists() and page != GLOSSARY

    def code_link(span):
        inner = span[1:-1]
        if m := re.fullmatch(chapter, inner): return f"[{span}]({chapters[m.group('stem')]}.html)"
        name = inner.removesuffix('()')
        href = api.get(name) or api.get(name.removeprefix('largeloss_fastai.'))
        return f'[{span}]({href})' if href and re.fullmatch(r'[A-Za-z_][\w.]*', name) else span

    def plain(text):
        out, pos = [], 0
        for m in re.finditer(r'`[^`\n]+`', text):
            out += [bare.sub(lambda c: f"[{c.group(0)}]({chapters[c.group('stem')]}.html)", text[pos:m.start()]), code_link(m.group(0))]
            pos = m.end()
        text = ''.join(out) + bare.sub(lambda c: f"[{c.group(0)}]({chapters[c.group('stem')]}.html)", text[pos:])
        if glossary:
            for pat, term in GLOSSARY_TERMS:
                if term in glossary_used: continue
                masked = re.sub(r'\[[^\]]*\]\([^)]*\)' + ('' if pat.startswith('`') else r'|`[^`\n]*`'), lambda l: ' ' * len(l.group(0)), text)
                if m := re.search(pat, masked):
                    glossary_used.add(term)
                    text = text[:m.start()] + f'[{m.group(0)}]({GLOSSARY}.html#{slugify(term)})' + text[m.end():]
        return text

    def protected(seg): # a link to a notebook becomes the link to its page
        return re.sub(r'(\]\()(?:nbs/)?([\w]+)\.ipynb(#[^)]*)?\)', lambda m: f'{m.group(1)}{chapter_pages(nbs).get(m.group(2), m.group(2))}.html{m.group(3) or ""})', seg)

    out, pos = [], 0
    for m in _PROTECTED.finditer(md):
        out += [plain(md[pos:m.start()]), protected(m.group(0))]; pos = m.end()
    out.append(plain(md[pos:]))
    return ''.join(out)

_REPRO = re.compile(r'^## Reproducibility\s*$', re.M)

def fold_reproducibility(cells):
    """The page's "Reproducibility" section, folded: its markdown in a collapsed admonition, its code cells' input
    and output behind a toggle"""
    inside = False
    for c in cells:
        src = c['source'] if isinstance(c['source'], str) else ''.join(c['source'])
        if c['cell_type'] == 'markdown':
            m = _REPRO.search(src)
            if m:
                inside = True
                body = src[m.end():].strip('\n')
                c['source'] = src[:m.start()] + ':::{admonition} Reproducibility\n:class: dropdown\n\n' + body + '\n:::\n'
            elif inside and re.match(r'#{1,2} ', src): inside = False
        elif inside and c['cell_type'] == 'code':
            c['metadata'] = dict(c.get('metadata', {}), tags=list(c.get('metadata', {}).get('tags', [])) + ['hide-input', 'hide-output'])
    return cells

def download_cell(nb_path):
    "A markdown cell: download this page's notebook (the file of nbs/ as it is)"
    return dict(cell_type='markdown', id='download-notebook', metadata={},
                source=f'<p class="nb-download"><a href="notebooks/{nb_path.name}" download>Download this notebook ({nb_path.name})</a></p>')

def render_cells(nb, page=None):
    """The notebook's cells as the site shows them, as nbdev's docs show them: `hide` drops a cell, `echo: false` and
    `show_doc` cells show their output only, exported code is folded (a click shows it), directive lines are not shown;
    names in the prose link to their pages (`link_names`)"""
    cells, glossary_used = [], set()
    for c in nb['cells']:
        opts, src = directives(''.join(c['source']))
        if 'hide' in opts or opts.get('include') == 'false': continue
        if c['cell_type'] == 'code' and not src.strip() and not c.get('outputs'): continue
        c = dict(c, source=src.strip('\n'))
        tags = list(c.get('metadata', {}).get('tags', []))
        if opts.get('echo') == 'false' or SHOW_DOC.match(src): tags.append('remove-input')
        elif c['cell_type'] == 'code' and opts.keys() & {'export', 'exporti', 'exports'}: tags.append('hide-input')
        if opts.get('output') == 'false': tags.append('remove-output')
        if c['cell_type'] == 'code': c['outputs'] = [_show_doc_md(o) for o in c.get('outputs', []) if _static_output(o)]
        if c['cell_type'] == 'markdown' and page is not None: c['source'] = link_names(c['source'], page, glossary_used)
        if tags: c['metadata'] = dict(c.get('metadata', {}), tags=tags)
        cells.append(c)
    return fold_reproducibility(cells)

def toctree_cell(sections):
    "A markdown cell with one hidden toctree per section"
    trees = []
    for cap, ps in sections:
        trees.append('```{toctree}\n:hidden:\n:caption: ' + cap + '\n\n' + '\n'.join(p if isinstance(p, str) else page_name(p) for p in ps) + '\n```')
    return dict(cell_type='markdown', id='site-nav', metadata={}, source='\n\n'.join(trees))

def write_if_changed(path, text):
    "Write `text` to `path` only when it differs (keeps Sphinx's incremental build)"
    if not path.exists() or path.read_text(encoding='utf-8') != text: path.write_text(text, encoding='utf-8')

def readme_notebook():
    "The README as a notebook page, \"Reference\": one markdown cell per `## ` section, links to `nbs/` made relative"
    text = (root/'README.md').read_text(encoding='utf-8').replace('](nbs/', '](')
    text = re.sub(r'\A# .*', '# Reference: the README', text)
    parts = re.split(r'\n(?=## )', text)
    return dict(cells=[dict(cell_type='markdown', id=f'readme-{i}', metadata={}, source=p.strip('\n')) for i, p in enumerate(parts)],
                metadata=dict(kernelspec=dict(display_name='python3', language='python', name='python3')), nbformat=4, nbformat_minor=5)

def extra_dir(dest):
    "Where the files that are not pages go (module sources, notebooks to download): beside `dest`, `docs_extra`"
    return Path(dest).parent/'docs_extra'

def build_source(dest):
    "Write the site's source into `dest` (and its other files into `extra_dir(dest)`), removing pages whose notebook is gone"
    dest = Path(dest); dest.mkdir(parents=True, exist_ok=True)
    sections = site_sections() + [('Reference', [README_PAGE])]
    pages = {}
    for p in [NBS/'index.ipynb'] + [p for _, ps in sections for p in ps if p != README_PAGE]:
        name = page_name(p)
        if name in pages: sys.exit(f'docs: {p.name} and {pages[name].name} would both be the page {name}.html')
        pages[name] = p
    extra = extra_dir(dest); (extra/'notebooks').mkdir(parents=True, exist_ok=True)
    for name, p in pages.items():
        nb = json.loads(p.read_text(encoding='utf-8'))
        cells = render_cells(nb, name)
        if chapter_number(p) is not None: # the title carries the chapter's number: `10_memorization` is "10 · The memorization effect"
            for c in cells:
                if c['cell_type'] == 'markdown' and c['source'].startswith('# '):
                    c['source'] = f"# {p.stem.split('_')[0]} · {c['source'][2:]}"; break
        nb['cells'] = cells + [toctree_cell(sections)] if name == 'index' else cells[:1] + [download_cell(p)] + cells[1:]
        write_if_changed(dest/f'{name}.ipynb', json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
        write_if_changed(extra/'notebooks'/p.name, p.read_text(encoding='utf-8'))
    nb = readme_notebook(); nb['cells'] = render_cells(nb, README_PAGE)
    write_if_changed(dest/f'{README_PAGE}.ipynb', json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    for f in dest.glob('*.ipynb'):
        if f.stem not in pages and f.stem != README_PAGE: f.unlink()
    for a in ASSETS:
        if (NBS/a).is_dir(): shutil.copytree(NBS/a, dest/a, dirs_exist_ok=True)
    write_sources(extra)
    return sections

if __name__ == '__main__':
    for cap, ps in build_source(sys.argv[1] if len(sys.argv) > 1 else root/'build'/'docs_src'):
        print(f'{cap}: ' + ', '.join(p if isinstance(p, str) else page_name(p) for p in ps))
