"""Write `nbs/index.ipynb` from `README.md` (Quarto, hence `nbdev-readme`, is not installable here: the README is
the source and the index notebook follows it). One markdown cell per `## ` section."""
import json, re
from pathlib import Path

root = Path(__file__).resolve().parent.parent
text = (root/'README.md').read_text().replace('](nbs/', '](')  # links relative to nbs/
parts = re.split(r'\n(?=## )', text)
cells = [dict(cell_type='markdown', id=f'{i:08x}', metadata={}, source=p.strip('\n').splitlines(True)) for i, p in enumerate(parts)]
nb = dict(cells=cells, metadata=dict(kernelspec=dict(display_name='python3', language='python', name='python3')),
          nbformat=4, nbformat_minor=5)
(root/'nbs'/'index.ipynb').write_text(json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + '\n')
