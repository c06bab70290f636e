"""Open every page of the built docs site in headless Chromium, as a reader would, and fail on what a reader would hit.

    python tools/check_docs.py [--docs _docs] [--shots _docs_shots] [--chromium /usr/bin/chromium]

Run after `nbdev_docs`. It serves `_docs/` on a local port and visits each page with Playwright driving the system
Chromium (Debian's `chromium` package; no browser download). It reports, and exits 1 on:
- a JavaScript console error or an uncaught exception on a page (a resource from another host that cannot load,
  such as a CDN script on an offline machine, is listed but not counted);
- a broken internal link (a page that does not exist) or anchor (no element with that id on the target page;
  compared without case, as Quarto writes heading ids in lower case and the offline stand-in keeps their case);
  links to the published site (settings.ini's doc_host + doc_baseurl), which nbdev writes for documented names,
  are checked against the local pages;
- an image that does not load;
- a notebook of `nbs/` (in any folder) with no page, or with no entry in the site's sidebar;
- an old address (a Quarto `aliases` page that redirects) whose target page does not exist.
A full-page screenshot of every page goes to `--shots` (an ignored folder) for people to look at.
"""
import argparse, functools, http.server, re, sys, threading
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse, unquote

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync']

def page_name(nb: Path, nbs: Path = Path('nbs')) -> str:
    "The HTML page nbdev makes of notebook `nb`: in its folder, numeric prefixes dropped (`library/01a_callback` -> `library/callback.html`)."
    folder = nb.parent.relative_to(nbs).as_posix()
    return ('' if folder == '.' else folder + '/') + re.sub(r'^\d+[a-z]?_', '', nb.stem) + '.html'

REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)"')

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass

def site_url() -> str:
    "The published site's address (settings.ini's doc_host + doc_baseurl): nbdev's links to documented names use it."
    from configparser import ConfigParser
    c = ConfigParser(delimiters=['=']); c.read('settings.ini')
    d = c['DEFAULT'] if c.has_section('DEFAULT') or c.defaults() else {}
    return (d.get('doc_host', '') + d.get('doc_baseurl', '')).rstrip('/') + '/' if d.get('doc_host') else ''

def serve(root: Path):
    handler = functools.partial(QuietHandler, directory=str(root))
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}/'

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--docs', default='_docs'); ap.add_argument('--nbs', default='nbs')
    ap.add_argument('--shots', default='_docs_shots'); ap.add_argument('--chromium', default='/usr/bin/chromium')
    a = ap.parse_args()
    docs, shots = Path(a.docs), Path(a.shots)
    if not (docs/'index.html').exists(): sys.exit(f'check_docs: {docs}/index.html is missing: run nbdev_docs first')
    if not Path(a.chromium).exists():
        sys.exit(f'check_docs: no Chromium at {a.chromium}: install Debian\'s package (apt-get install chromium) or pass --chromium')
    shots.mkdir(exist_ok=True)
    problems, ids, links, external = [], {}, [], set()
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob('*.html'))
    redirects = {}                             # an old address (a Quarto alias): a page that sends the reader to the new one
    for rel in pages:
        if m := REFRESH.search((docs/rel).read_text(errors='replace')[:2000]): redirects[rel] = m.group(1)
    for rel, to in redirects.items():
        target = (Path(rel).parent/to).as_posix()
        if not (docs/target).exists(): problems.append(f'{rel}: redirects to {to}, which does not exist')
    pages = [p for p in pages if p not in redirects]
    nbs = Path(a.nbs)
    notebooks = sorted(p for p in nbs.rglob('*.ipynb') if not any(q.startswith(('_', '.')) for q in p.relative_to(nbs).parts))
    srv, base = serve(docs)
    sidebar_targets = set()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=a.chromium, args=CHROMIUM_ARGS)
        for rel in pages:
            page = browser.new_page(viewport={'width': 1280, 'height': 900})
            errs = []
            def on_console(m, errs=errs):
                url = (m.location or {}).get('url', '')
                if m.type != 'error': return
                if m.text.startswith('Failed to load resource') and url and not url.startswith(base):
                    external.add(url); return          # a CDN script or font: unreachable offline, not the site's fault
                errs.append(f'console error: {m.text} ({url})')
            page.on('console', on_console)
            page.on('pageerror', lambda e, errs=errs: errs.append(f'uncaught exception: {e}'))
            page.on('requestfailed', lambda r, errs=errs: errs.append(f'failed to load {r.url}') if r.url.startswith(base) else external.add(r.url))
            page.goto(base + rel, wait_until='load')
            problems += [f'{rel}: {e}' for e in errs]
            for src in page.eval_on_selector_all('img', 'els => els.filter(e => !(e.complete && e.naturalWidth > 0)).map(e => e.getAttribute("src"))'):
                problems.append(f'{rel}: image does not load: {src[:80] if src else src}')
            text = page.inner_text('body')            # a markdown link that did not render shows its brackets: "[ Learner ](learner.html)"
            problems += [f'{rel}: a link that did not render: {m.group(0)!r}' for m in re.finditer(r'\]\([\w./#-]+\.html[^)\s]*\)', text)]
            ids[rel] = set(page.eval_on_selector_all('[id], a[name]', 'els => els.map(e => e.id || e.getAttribute("name"))'))
            for href in page.eval_on_selector_all('a[href]', 'els => els.map(e => e.getAttribute("href"))'):
                links.append((rel, href))
            sidebar_targets |= {urlparse(urljoin(base + rel, h)).path.lstrip('/') for h in page.eval_on_selector_all(
                '#quarto-sidebar a[href], .sidebar a[href], nav a[href]', 'els => els.map(e => e.getAttribute("href"))')}
            page.screenshot(path=str(shots/(rel.replace('/', '__').removesuffix('.html') + '.png')), full_page=True)
            page.close()
        browser.close()
    srv.shutdown()
    site = site_url()
    for rel, href in links:                    # internal links and anchors, checked against the pages' ids
        url = urljoin(base + rel, href)
        if site and url.startswith(site): url = base + url[len(site):]      # a link to the published copy of this site
        if not url.startswith(base): continue
        path, frag = urldefrag(url)
        target = unquote(urlparse(path).path.lstrip('/')) or 'index.html'
        if target.endswith('/'): target += 'index.html'
        if not (docs/target).exists(): problems.append(f'{rel}: broken link {href!r} (no {target})'); continue
        if frag and target.endswith('.html') and frag.lower() not in {i.lower() for i in ids.get(target, set())}:
            problems.append(f'{rel}: broken anchor {href!r} (no id {frag!r} on {target})')
    for nb in notebooks:
        name = page_name(nb, nbs)
        if name not in pages: problems.append(f'{nb}: no page {name} in {docs}')
        elif name != 'index.html' and name not in sidebar_targets: problems.append(f'{nb}: {name} has no sidebar entry')
    print(f'check_docs: {len(pages)} pages, {len(links)} links, {len(notebooks)} notebooks checked in Chromium, '
          f'{len(redirects)} old addresses that redirect; '
          f'screenshots in {shots}/')
    if external: print(f'check_docs: {len(external)} external resources could not load (offline?), not counted: '
                       + ', '.join(sorted(external)[:3]) + (' ...' if len(external) > 3 else ''))
    for p in problems: print('  PROBLEM', p)
    print(f'check_docs: {len(problems)} problems')
    sys.exit(1 if problems else 0)

if __name__ == '__main__': main()
