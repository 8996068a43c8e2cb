"""Write `nbs/llms.txt` (https://llmstxt.org): every module of the library with the first paragraph of its docstring,
and every other page of the docs site, each linked to its page of the site that `make docs` builds into build/docs
(links relative to the site's root, where the build copies this file). `make sync` runs it after `nbdev-export`, so
`make check-sync` fails when it is stale. nbdev's own llms.txt lists only modules with long docstrings and links to a
hosted site; this file has no nbdev marker, so `nbdev-export` leaves it alone.

Usage: python tools/docs_llms.py"""
import ast, json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root/'tools'))
from docs_source import NBS, page_name, site_sections

LIB = root/'largeloss_fastai'
MARKER = '<!-- Written by tools/docs_llms.py (make sync) from the module docstrings and the notebooks; do not edit -->'

def first_paragraph(text):
    "The first paragraph of `text` on one line"
    return ' '.join(text.strip().split('\n\n')[0].split())

def module_entries():
    "[(module name, notebook path, summary)] for every public module in chapter order, from its docstring and 'File to edit' line"
    res = []
    for py in sorted(LIB.glob('*.py')):
        if py.name.startswith('_'): continue
        src = py.read_text(encoding='utf-8')
        m = re.search(r'File to edit: \.\./nbs/(\S+\.ipynb)', src)
        if not m: sys.exit(f'docs_llms: {py.name} names no notebook (is it exported by nbdev?)')
        res.append((f'{LIB.name}.{py.stem}', NBS/m.group(1), first_paragraph(ast.get_docstring(ast.parse(src)) or '')))
    return sorted(res, key=lambda o: o[1].name)  # chapter order

def title_and_summary(nb_path):
    "The notebook's `# title` and its `> summary` line (nbdev's front matter)"
    for c in json.loads(Path(nb_path).read_text(encoding='utf-8'))['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown' and (m := re.match(r'#\s+(.+)', src.strip())):
            summ = re.search(r'^>(.*(?:\n(?!\s*$).*)*)', src, re.M)  # the blockquote paragraph, all its lines
            return m.group(1).strip(), (' '.join(re.sub(r'^>', '', summ.group(1), flags=re.M).split()) if summ else '')
    return page_name(nb_path), ''

def llms_txt():
    desc = first_paragraph(re.search(r'^> (.+)$', (root/'README.md').read_text(encoding='utf-8'), re.M).group(1))
    mods = module_entries()
    mod_nbs = {nb.name for _, nb, _ in mods}
    lines = [f'# {LIB.name}', '', f'> {desc}', '',
             'An implementation of Kim et al., "Large Loss Matters in Weakly Supervised Multi-Label Classification" '
             '(CVPR 2022, https://arxiv.org/abs/2206.03740) in fastai, written as nbdev notebooks. Reference code: '
             'https://github.com/snucml/LargeLossMatters. The links below are pages of the documentation site, built '
             'offline from the notebooks by `make docs` into `build/docs/` (this file is copied to its root); each '
             'page is the notebook `nbs/<number>_<page>.ipynb`; the home page, [index.html](index.html), is the README.', '',
             '## Modules', '']
    lines += [f'- [{nm}]({page_name(nb)}.html): {summ}' for nm, nb, summ in mods]
    for cap, nbs in site_sections():
        other = [nb for nb in nbs if nb.name not in mod_nbs]
        if not other: continue
        lines += ['', f'## {cap}', '']
        for nb in other:
            title, summ = title_and_summary(nb)
            lines.append(f'- [{title}]({page_name(nb)}.html)' + (f': {summ}' if summ else ''))
    return '\n'.join(lines + ['', MARKER, ''])

if __name__ == '__main__':
    (NBS/'llms.txt').write_text(llms_txt(), encoding='utf-8')
