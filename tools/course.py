"""The course's sections: the sidebar of the docs site and the map of the start page, both generated from the notebooks.

    python tools/course.py            # write nbs/sidebar.yml from the folders of nbs/
    python tools/course.py --check    # exit 1 if nbs/sidebar.yml is not what the folders make (CI runs this)

`nbs/` has one folder per section. A reader meets them in this order: the lessons (lesson 6, lesson 7, then beyond
them), their own data, and last the library the lessons are built on. Within a lesson, pages come in the lesson's
order (`ORDER`); elsewhere, and for any page `ORDER` does not name, in the order of their numbers. The numbers are
the library's dependency order across all folders (a page imports only from pages with lower numbers), so they do not
always follow the lesson. `course_map()` is the table of sections and pages that `nbs/index.ipynb` prints.
"""
import json, re, sys
from pathlib import Path

SECTIONS = [                    # (folder, title, what it holds)
    ('lesson6', 'Lesson 6', 'embeddings read as what they mean, SGD from scratch, character models'),
    ('lesson7', 'Lesson 7', 'RNNs that keep their state, GRU and LSTM, CIFAR-10 from scratch, class activation maps'),
    ('beyond', 'Beyond the lessons', "today's recipes for the lessons' two big models, measured on a CPU"),
    ('your_data', 'Your own data', 'one-line learners for your ratings, images and text, keeping what you trained, bad inputs'),
    ('library', 'The library', 'the engine the lessons run on: data, the training loop, callbacks, schedules, many processes'),
]
ORDER = {'lesson6': ['05_collab', '05b_tabular', '04_sgd', '06_text']}   # the lesson's order: embeddings, entity embeddings, SGD, characters

def _title(nb:Path) -> tuple[str, str]:
    "A notebook's title and one-line description, from its first markdown cell (`# Title` and `> line`)."
    for c in json.loads(nb.read_text())['cells']:
        if c['cell_type'] != 'markdown': continue
        s = ''.join(c['source'])
        t = re.search(r'^#\s+(.+)$', s, re.M); d = re.search(r'^>\s*(.+)$', s, re.M)
        return (t.group(1).strip() if t else nb.stem), (d.group(1).strip() if d else '')
    return nb.stem, ''

def _module(nb:Path) -> str|None:
    for c in json.loads(nb.read_text())['cells']:
        if c['cell_type'] == 'code' and (m := re.search(r'^#\|\s*default_exp\s+(\S+)', ''.join(c['source']), re.M)): return m.group(1)
    return None

def pages(nbs:Path=Path('nbs')) -> list[tuple[str, str, list[Path]]]:
    "`(folder, title, notebooks)` for each section, the notebooks in reading order."
    out, known = [], {f for f, _, _ in SECTIONS}
    if stray := [p.name for p in nbs.iterdir() if p.is_dir() and not p.name.startswith(('_', '.')) and p.name not in known]:
        sys.exit(f'course.py: folders of nbs/ with no section: {stray}; add them to SECTIONS')
    for folder, title, _ in SECTIONS:
        nbsf = sorted(p for p in (nbs/folder).glob('*.ipynb') if not p.name.startswith('_'))
        order = ORDER.get(folder, [])
        nbsf.sort(key=lambda p: (order.index(p.stem) if p.stem in order else len(order), p.name))
        out.append((folder, title, nbsf))
    return out

def sidebar(nbs:Path=Path('nbs')) -> str:
    "nbs/sidebar.yml: the start page, then a section per folder."
    lines = ['website:', '  sidebar:', '    contents:', '      - index.ipynb']
    for folder, title, nbsf in pages(nbs):
        if not nbsf: continue
        lines += [f'      - section: "{title}"', '        contents:'] + [f'          - {folder}/{p.name}' for p in nbsf]
    return '\n'.join(lines) + '\n'

def page_url(nb:Path, nbs:Path=Path('nbs')) -> str:
    "The page nbdev makes of a notebook: its folder, and its name without the number (`lesson6/05_collab` -> `lesson6/collab.html`)."
    return nb.parent.relative_to(nbs).as_posix() + '/' + re.sub(r'^\d+[a-z]?_', '', nb.stem) + '.html'

def course_map(nbs:Path=Path('nbs')) -> str:
    "Markdown: for each section, its pages with their one-line descriptions and modules."
    out = []
    for folder, title, nbsf in pages(nbs):
        what = dict((f, w) for f, _, w in SECTIONS)[folder]
        out += [f'### {title}', '', f'*{what}*', '', '| page | what it teaches or holds | module |', '|---|---|---|']
        for p in nbsf:
            t, d = _title(p); m = _module(p)
            out.append(f"| [{t}]({page_url(p, nbs)}) | {d.replace('|', '/')} | {f'`fastlessons.{m}`' if m else ''} |")
        out.append('')
    return '\n'.join(out)

if __name__ == '__main__':
    f = Path('nbs/sidebar.yml'); want = sidebar()
    if '--check' in sys.argv:
        if f.read_text() != want: sys.exit('course.py: nbs/sidebar.yml is out of date: run python tools/course.py and commit it')
        print('course.py: sidebar up to date')
    else: f.write_text(want); print(f'course.py: wrote {f}')
