"""The built docs site in a real browser: headless Chromium (Debian's `chromium`, through Playwright with
`executable_path`; `playwright install` is never needed) opens every page of the site served by a local http.server
(search needs http, not file://) and checks

- every notebook in nbs/ has its page, and the home page's navigation links to it;
- no page logs a console error or raises a JavaScript error;
- every <img> has loaded (naturalWidth > 0);
- no page shows a widget's text repr (`interactive(children=(...`) where the notebook had a live widget;
- every link inside the site resolves: the file answers 200 and its #anchor exists in the target page (llms.txt's
  links too, and llms.txt names every module of the library);
- the search for `LargeLossCallback` finds the callbacks page;
- no page loads anything from another host (MathJax and fonts are served by the site itself);
- no page shows a path of the machine that built it (`/work/...`, `/home/...`, `/tmp/...`): pages are for readers;
- no "source" link leaves the site (each points to the site's copy of the module, `src/<module>.html#L-<line>`),
  and no link points to the project's repository URL, which is not published;
- the prose names no chapter without linking it: a notebook's name (`10_memorization`) in a page's text outside
  links, code cells and their outputs is an error (tools/docs_source.py links them);

and saves screenshots of the home page and of the memorization analysis (10_memorization) into build/docs_screenshots.
One line per failure, then a summary; exit status 1 on any failure.

Usage: python tools/test_docs.py [SITE_DIR]   (default build/docs, what `make docs` builds)"""
import functools, http.server, os, re, shutil, sys, threading, tomllib, urllib.error, urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse, unquote

root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root/'tools'))
from docs_source import page_name, site_sections

WIDGET_REPR = re.compile(r'\w+\(children=\(')  # ipywidgets' repr: 'interactive(children=(Dropdown(...'
SEARCH_TERM, SEARCH_PAGE = 'LargeLossCallback', 'callbacks.html'
SHOTS = {'home': 'index.html', 'memorization': 'memorization.html', 'modification': 'modification.html',
         'paper_in_five_minutes': 'paper_in_five_minutes.html'}
MACHINE_PATH = re.compile(r'(?<![\w.:/])/(?:work|home|root|tmp|Users|mnt|opt|srv|var/folders)/[^\s)\]\'"`]*')
REPO_URL = tomllib.loads((root/'pyproject.toml').read_text())['project'].get('urls', {}).get('Repository', '').rstrip('/')

def chapter_names():
    "A regex of the notebooks' names (those with an underscore: '10_memorization', 'paper_in_five_minutes')"
    stems = sorted((p.stem for p in (root/'nbs').glob('*.ipynb') if '_' in p.stem and not p.name.startswith(('_', '.'))), key=len, reverse=True)
    return re.compile(r'(?<![\w/.])(?:' + '|'.join(map(re.escape, stems)) + r')(?![\w/])')

# the prose of a page: its text outside links, code, cell inputs and outputs, math and the navigation
_PROSE_JS = """() => {
  const root = document.querySelector('article.bd-article') || document.body, out = [];
  const skip = 'a, pre, code, .cell_input, .cell_output, .output, mjx-container, script, style, .nb-download';
  const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) { const n = w.currentNode; if (!n.parentElement.closest(skip)) out.push(n.textContent); }
  return out.join(' ');
}"""
_CODE_JS = """() => [...document.querySelectorAll('article.bd-article code')].filter(c => !c.closest('a, pre, .cell_input, .cell_output, .output')).map(c => c.textContent)"""
failures = []

def fail(where, what):
    "Record and print one failure"
    failures.append(f'{where}: {what}')
    print(f'FAIL {where}: {what}', flush=True)

def find_chromium():
    "The system Chromium: $CHROMIUM, else the first of chromium/chromium-browser/google-chrome on PATH"
    for c in [os.environ.get('CHROMIUM'), 'chromium', 'chromium-browser', 'google-chrome']:
        if c and (p := shutil.which(c)): return p
    sys.exit('FAIL no Chromium: apt-get install -y chromium (or set CHROMIUM to its path)')

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass

def serve(site):
    "Serve `site` on a free local port in a background thread; returns (server, base url)"
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}/'

class _Ids(HTMLParser):
    "The ids (and <a name>s) of an HTML page: the anchors a #fragment can point to"
    def __init__(self):
        super().__init__(); self.ids = set()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get('id'): self.ids.add(a['id'])
        if tag == 'a' and a.get('name'): self.ids.add(a['name'])

@functools.cache
def fetch(url):
    "(status, body text) of `url` without its fragment"
    try:
        with urllib.request.urlopen(url) as r: return r.status, r.read().decode('utf-8', 'replace')
    except urllib.error.HTTPError as e: return e.code, ''

@functools.cache
def anchors(url):
    p = _Ids(); p.feed(fetch(url)[1]); return p.ids

def check_link(where, href, base):
    "Fail unless the site-internal `href` answers 200 and its fragment is an anchor of the target"
    url, frag = urldefrag(href)
    status, _ = fetch(url)
    if status != 200: return fail(where, f'link {href[len(base)-1:]} answers {status}')
    if frag and url.endswith('.html') and unquote(frag) not in anchors(url):
        fail(where, f'link {href[len(base)-1:]}: no anchor #{frag} in {url[len(base):]}')

def check_llms(base):
    "llms.txt: its relative links resolve in the site, and it names every module of the library"
    status, txt = fetch(base + 'llms.txt')
    if status != 200: return fail('llms.txt', f'not served ({status})')
    for href in re.findall(r'\]\(([^)\s]+)\)', txt):
        if not urlparse(href).scheme: check_link('llms.txt', urljoin(base, href), base)
    for py in sorted((root/'largeloss_fastai').glob('*.py')):
        if not py.name.startswith('_') and f'largeloss_fastai.{py.stem}]' not in txt:
            fail('llms.txt', f'module largeloss_fastai.{py.stem} is not listed (run tools/docs_llms.py)')

_IMAGES_JS = """async () => {
  const imgs = [...document.images];
  imgs.forEach(i => i.loading = 'eager');
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; setTimeout(r, 10000); })));
  return imgs.filter(i => !(i.naturalWidth > 0)).map(i => i.getAttribute('src'));
}"""

_SETTLED_JS = """async () => {  // MathJax has typeset the page and its fonts have loaded
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await document.fonts.ready;
}"""

def check_page(page, base, name):
    "Load one page; check console, images and links. Returns the page's site-internal links"
    msgs, outside = [], []
    on_console = lambda m: m.type == 'error' and msgs.append(m.text + (f" ({m.location['url']})" if m.location.get('url') else ''))
    on_error = lambda e: msgs.append(f'page error: {e}')
    on_request = lambda r: not r.url.startswith((base, 'data:', 'blob:', 'about:')) and outside.append(r.url)
    page.on('console', on_console); page.on('pageerror', on_error); page.on('request', on_request)
    try:
        resp = page.goto(base + name, wait_until='networkidle')
        if resp is None or resp.status != 200: fail(name, f'answers {resp and resp.status}')
        for src in page.evaluate(_IMAGES_JS): fail(name, f'image {src} did not load (naturalWidth 0)')
        page.evaluate(_SETTLED_JS)
        hrefs = page.eval_on_selector_all('a[href]', 'as => as.map(a => a.href)')
        text = page.evaluate('document.body.innerText')
        if WIDGET_REPR.search(text): fail(name, "shows a widget's text repr ('...(children=(...'), not a static frame")
        for path in sorted(set(MACHINE_PATH.findall(text)))[:5]: fail(name, f'shows a path of the machine that built it: {path}')
        for src in page.eval_on_selector_all('a.showdoc-source, a', "as => as.filter(a => a.textContent.trim() == 'source').map(a => a.href)"):
            if not src.startswith(base): fail(name, f'a source link leaves the site: {src}')
        for h in hrefs:
            if REPO_URL and h.startswith(REPO_URL): fail(name, f'links to the repository URL, which is not published: {h}')
        names = chapter_names()
        for n in sorted(set(names.findall(page.evaluate(_PROSE_JS))) | {c for c in page.evaluate(_CODE_JS) if names.fullmatch(c)}):
            fail(name, f'names the chapter {n} in its prose without a link to its page')
    finally:
        page.remove_listener('console', on_console); page.remove_listener('pageerror', on_error)
        page.remove_listener('request', on_request)
    for m in msgs: fail(name, f'console error: {m}')
    for u in outside: fail(name, f'loads from another host: {u}')
    return [h for h in hrefs if h.startswith(base)]

def check_search(page, base):
    "search.html?q=LargeLossCallback lists the callbacks page"
    page.goto(f'{base}search.html?q={SEARCH_TERM}', wait_until='networkidle')
    sel = f'#search-results ul.search li a[href*="{SEARCH_PAGE}"]'
    try: page.wait_for_selector(sel, timeout=20000)
    except Exception:
        found = page.eval_on_selector_all('#search-results ul.search li a', 'as => as.map(a => a.getAttribute("href"))')
        fail('search', f'{SEARCH_TERM!r} does not list {SEARCH_PAGE} (results: {found[:10]})')

def main(site):
    site = Path(site)
    if not (site/'index.html').exists(): sys.exit(f'FAIL no site in {site}: run make docs first')
    from playwright.sync_api import sync_playwright
    shots = site.parent/'docs_screenshots'
    shots.mkdir(parents=True, exist_ok=True)
    srv, base = serve(site)
    pages = sorted(p.name for p in site.glob('*.html'))
    expected = ['index.html'] + [page_name(p) + '.html' for _, ps in site_sections() for p in ps]
    for e in expected:
        if e not in pages: fail(e, 'no page for this notebook')
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), headless=True,
                                     args=['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage'])
        page = browser.new_page(viewport=dict(width=1280, height=900))
        links = {}
        for name in pages:
            for h in check_page(page, base, name): links.setdefault(h, name)
        nav = set(page.goto(base + 'index.html') and page.eval_on_selector_all(
            '.bd-sidebar-primary a[href]', 'as => as.map(a => a.getAttribute("href").split("#")[0])'))
        for e in expected[1:]:
            if e not in nav: fail('index.html', f'the navigation has no link to {e}')
        for h, name in sorted(links.items()): check_link(name, h, base)
        check_llms(base)
        check_search(page, base)
        for shot, name in SHOTS.items():
            if name not in pages: fail(name, 'missing, no screenshot'); continue
            page = browser.new_page(viewport=dict(width=1280, height=900))  # a first visit: no sidebar scroll kept
            page.goto(base + name, wait_until='networkidle')
            page.evaluate(_SETTLED_JS)
            page.screenshot(path=shots/f'{shot}.png')
            page.screenshot(path=shots/f'{shot}_full.png', full_page=True)
        browser.close()
    srv.shutdown()
    print(f'docs: {len(pages)} pages, {len(links)} internal links, screenshots in {shots}')
    print(f'docs: {len(failures)} failures' if failures else 'docs: all checks passed')
    return 1 if failures else 0

if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else root/'build'/'docs'))
