"""Sphinx configuration of the docs site. `make docs` lays the notebooks out in build/docs_src (tools/docs_source.py:
nbdev directives applied, the chapter toctree added to the home page) and builds with `-c docs`, so this folder holds
the configuration only and nbs/ stays the one source. Nothing here reaches the network: notebooks are rendered from
their committed outputs, MathJax is served from _static (npm's `mathjax`, which `make docs` installs)."""
import os, tomllib
from pathlib import Path

root = Path(__file__).resolve().parent.parent
_proj = tomllib.loads((root/'pyproject.toml').read_text())['project']
PAPER_URL = 'https://arxiv.org/abs/2206.03740'
REFERENCE_URL = 'https://github.com/snucml/LargeLossMatters'

project = _proj['name']
author = _proj['authors'][0]['name']
release = ''
root_doc = 'index'

extensions = ['myst_nb', 'sphinx.ext.mathjax']
exclude_patterns = ['_build', '**.ipynb_checkpoints']
templates_path = [str(root/'docs'/'_templates')]
html_static_path = [str(root/'docs'/'_static'), os.environ.get('DOCS_MATHJAX', str(root/'build'/'mathjax'/'static'))]
html_css_files = ['largeloss.css']
html_js_files = ['largeloss.js']
# llms.txt, and what tools/docs_source.py writes beside the pages: the modules' sources (src/) and the notebooks (notebooks/)
html_extra_path = [str(root/'nbs'/'llms.txt'), os.environ.get('DOCS_EXTRA', str(root/'build'/'docs_extra'))]

# Notebooks: committed outputs only, never executed here.
nb_execution_mode = 'off'
nb_output_stderr = 'remove'
nb_merge_streams = True
nb_render_markdown_format = 'myst'  # show_doc's markdown with MyST's extensions (its source link's attributes, math)
# The default loads require.js and the widget manager from CDNs. A widget's output never reaches Sphinx
# (tools/docs_source.py drops it); its notebook shows a static frame beside it.
nb_ipywidgets_js = {}
nb_mime_priority_overrides = [('html', 'application/vnd.jupyter.widget-state+json', None)]
myst_enable_extensions = ['dollarmath', 'amsmath', 'colon_fence', 'deflist', 'attrs_inline']  # attrs: show_doc's source link
myst_heading_anchors = 3
# tools/docs_source.py writes every link inside the site as the URL of its page (`losses.html#large_loss_k`, the anchor
# of a show_doc heading inside a cell output, `src/losses.html#L-12`), which MyST would try to resolve as a document
myst_all_links_external = True
suppress_warnings = ['myst.header', 'mystnb.unknown_mime_type']

# MathJax 3 from the local copy (es5 build of npm's `mathjax`); Sphinx's default is a CDN URL.
mathjax_path = 'mathjax/tex-mml-chtml.js'
mathjax3_config = {}

html_theme = 'sphinx_book_theme'
html_title = 'largeloss_fastai'
html_favicon = str(root/'docs'/'_static'/'favicon.svg')  # without one, the browser's request for /favicon.ico fails
html_show_sourcelink = False
html_show_copyright = False
highlight_language = 'none'  # unlabelled ``` blocks (shell commands in the README) are not Python
html_copy_source = False
html_last_updated_fmt = None
html_sidebars = {'**': ['navbar-logo.html', 'paper-links.html', 'icon-links.html', 'sbt-sidebar-nav.html']}  # search: in the header
html_context = dict(paper_url=PAPER_URL, reference_url=REFERENCE_URL,
                    default_mode='auto')  # unset, the theme logs a console error on a first visit
html_theme_options = dict(
    home_page_in_toc=True,
    show_toc_level=2,
    use_download_button=False,
    use_fullscreen_button=False,
    icon_links=[
        dict(name='Paper: Kim et al., CVPR 2022 (arXiv 2206.03740)', url=PAPER_URL, icon='fa-solid fa-file-lines'),
        dict(name='Reference code (snucml/LargeLossMatters)', url=REFERENCE_URL, icon='fa-brands fa-github'),
    ],
)


def setup(app):
    # MathJax on every page, not only on pages with formulas: the navigation shows titles with math (13's Delta_rel).
    app.set_html_assets_policy('always')
