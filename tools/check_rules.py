"""Check the documentation rules of CONTRIBUTING.md on the exported package; CI runs it.

    python tools/check_rules.py [--package fastlessons] [--nbs nbs]

1. Every public callable (each name in a module's `__all__`, each public method of an exported class) documents
   every parameter with a docments comment (`x:int, # what x is`), and has a docstring.
2. A `**kwargs` comment is not misfiled as the return value: fastcore's `docments` files the comment of a
   `**kwargs` line under `return` when the signature has a return annotation without its own comment.
3. Every public method defined in a class body has a docs entry: a `show_doc(Class.method)` in its notebook
   (methods added with `@patch` in an exported cell get one from nbdev; callback events, `forward`, `extra_repr`
   and hook functions are documented by their class).
4. `all.py` keeps no list of modules, and the star import brings no test fixture (`fastlessons.testing`).
5. One test call per line in the notebooks' test cells: no `test_eq(a, b); test_eq(c, d)`.
6. A notebook that calls a method another module adds with `@patch` (`learn.get_preds()` from `inference`,
   `learn.freeze()` from `freezing`) imports that module, directly or through the modules it imports. `nbdev_test`
   runs several notebooks in one process, so a missing import passes whenever an earlier notebook made it, and fails
   when the notebook runs alone or in another order.
7. Every public method that needs a docs entry (rule 3) has a docstring of its own, or inherits one from a class of
   the package. Without one, the entry shows what fastcore's `docstring` finds instead: torch's words for the method
   it overrides (`Optimizer.step`'s), or, when nothing defines it above, the `__call__` of a bound method, "Call self
   as a function.".
8. A notebook cell shows only its last `show_doc(...)`: an entry that is not the last line of its cell is never
   rendered, so each `show_doc` gets a cell of its own.
Prints one line per problem and exits 1 if there is any.
"""
import argparse, ast, importlib, inspect, io, json, pkgutil, re, sys, tokenize
from pathlib import Path
from fastcore.docments import docments, docstring

def params_missing(f) -> list[str]:
    "Parameters of `f` without a docments comment (self, cls, *args and **kwargs are exempt)."
    try: d = docments(f, full=True)
    except (OSError, TypeError): return []
    sig = inspect.signature(f)
    skip = {n for n, p in sig.parameters.items() if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)} | {'self', 'cls'}
    return [n for n in sig.parameters if n not in skip and not (d.get(n) or {}).get('docment')]

def kwargs_misfiled(f) -> bool:
    "True when the comment on the `**kwargs` line is what `docments` reports as the return value's."
    try: src, d = inspect.getsource(f), docments(f, full=True)
    except (OSError, TypeError): return False
    m = re.search(r'\*\*\w+[^#\n]*#\s*(.+)', src)
    ret = (d.get('return') or {}).get('docment')
    return bool(m and ret and ret.strip() == m.group(1).strip())

PROTOCOL = {'forward', 'extra_repr', 'hook_fn'}      # called by PyTorch or by hooks, documented by their class

def own_methods(cls, exempt=()) -> dict:
    "Public methods defined in the body of `cls` (not inherited, not properties), less the names in `exempt`."
    return {n: v for n, v in vars(cls).items() if not n.startswith('_') and inspect.isfunction(v) and n not in exempt}

def borrowed_doc(cls, name:str, package:str) -> str|None:
    "What the docs entry of `cls.name` shows when it has no docstring of its own nor one of the package's; None if fine."
    f = vars(cls)[name]
    if (f.__doc__ or '').strip(): return None
    shown = (docstring(getattr(cls, name)) or '').strip()
    for base in cls.__mro__[1:]:
        a = vars(base).get(name)
        if a is None or not (getattr(a, '__doc__', None) or '').strip(): continue
        if inspect.cleandoc(a.__doc__) != shown: continue
        if (getattr(base, '__module__', '') or '').split('.')[0] == package: return None   # the package's own words, inherited
        return f"{base.__module__}.{base.__qualname__}.{name}'s docstring ({shown.splitlines()[0][:60]!r})"
    return repr(shown.splitlines()[0][:60]) if shown else 'nothing'

def notebook_of(mod) -> str:
    "The text of the notebook a module was exported from."
    m = re.search(r'File to edit: (\S+\.ipynb)', Path(mod.__file__).read_text())
    return (Path(mod.__file__).parent/m.group(1)).read_text() if m else ''

def patched(f) -> bool:
    try: return inspect.getsource(f).lstrip().startswith('@patch')
    except (OSError, TypeError): return False

def joined_tests(nbs:Path) -> list[str]:
    "Lines of test cells where a top-level ';' joins a test call (`test_*` or `assert`) to another statement."
    out = []
    for f in sorted(p for p in nbs.rglob('*.ipynb') if not any(q.startswith(('_', '.')) for q in p.relative_to(nbs).parts)):
        if f.name.startswith('_'): continue
        for c in json.loads(f.read_text())['cells']:
            src = ''.join(c['source'])
            if c['cell_type'] != 'code' or src.lstrip().startswith(('#| export', '#| exports')): continue
            for line in src.splitlines():
                if ';' not in line: continue
                try: toks = list(tokenize.generate_tokens(io.StringIO(line.strip() + '\n').readline))
                except (tokenize.TokenError, SyntaxError): continue
                depth, stmts, cur = 0, [], ''
                for t in toks:
                    if t.type == tokenize.OP and t.string in '([{': depth += 1
                    if t.type == tokenize.OP and t.string in ')]}': depth -= 1
                    if t.type == tokenize.OP and t.string == ';' and depth == 0: stmts.append(cur); cur = ''
                    elif t.type not in (tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.COMMENT): cur += t.string + ' '
                stmts.append(cur)
                if len(stmts) > 1 and any(re.match(r'(test_\w+|assert)\b', st.strip()) for st in stmts):
                    out.append(f'{f.name}: one test call per line, not joined by ";": {line.strip()[:90]}')
    return out

def hidden_show_docs(nbs:Path) -> list[str]:
    "Cells where a `show_doc(...)` is not the cell's last statement: Jupyter and nbdev show only the last (rule 8)."
    out = []
    for f in sorted(p for p in nbs.rglob('*.ipynb') if not any(q.startswith(('_', '.')) for q in p.relative_to(nbs).parts)):
        if f.name.startswith('_'): continue
        for c in json.loads(f.read_text())['cells']:
            src = ''.join(c['source'])
            if c['cell_type'] != 'code' or 'show_doc(' not in src: continue
            try: body = ast.parse(src).body
            except SyntaxError: continue
            calls = [st for st in body if isinstance(st, ast.Expr) and isinstance(st.value, ast.Call)
                     and getattr(st.value.func, 'id', None) == 'show_doc']
            if calls and re.match(r'#\|\s*hide\b', src):
                out.append(f"{f.name}: cell {c.get('id')} is hidden (#| hide), so its show_doc never renders: use #| echo: false"); continue
            hidden = [ast.get_source_segment(src, st) for st in calls if st is not body[-1]]
            if hidden: out.append(f"{f.name}: cell {c.get('id')} shows only its last statement, so {', '.join(hidden)} "
                                  f"{'is' if len(hidden) == 1 else 'are'} never rendered: give each show_doc a cell of its own")
    return out

_IMPORT = r'(?:^|\n)\s*(?:from\s+{p}\.(\w+)\s+import|import\s+{p}\.(\w+))'

def _docs_runs(s:str, tree) -> bool:
    "Whether `nbdev_docs` runs this code cell when it builds the page: exported cells, cells with an import, cells that show docs."
    import ast
    if re.search(r'^#\|\s*eval:\s*false', s, re.M | re.I): return False
    if re.search(r'^#\|\s*(export|exports|exporti|exec_doc)\b', s, re.M): return True
    nodes = list(ast.walk(tree))
    return any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in nodes) or 'show_doc' in s

def import_cells(nbs:Path) -> list[str]:
    "Cells that `nbdev_docs` runs (rule 9: exports, imports, show_doc) using a name that only a cell it does not run defines."
    import ast, builtins
    problems = []
    for f in sorted(p for p in nbs.rglob('*.ipynb') if not any(q.startswith(('_', '.')) for q in p.relative_to(nbs).parts)):
        known, star = set(dir(builtins)) | {'show_doc', 'get_ipython', 'display'}, False
        cells = json.loads(f.read_text())['cells']
        if not any(c['cell_type'] == 'code' and re.search(r'^#\|\s*export|show_doc\(', ''.join(c['source']), re.M) for c in cells): continue   # nbdev runs none of a page without docs
        for c in cells:
            s = ''.join(c['source'])
            if c['cell_type'] != 'code': continue
            try: tree = ast.parse('\n'.join(l for l in s.splitlines() if not l.lstrip().startswith(('%', '!'))))
            except SyntaxError: continue
            if not _docs_runs(s, tree): continue
            defined, used = set(), []
            def walk(node):                           # module-level code; a function's body runs later, when it is called
                yield node
                for ch in ast.iter_child_nodes(node):
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and ch not in getattr(node, 'decorator_list', []) \
                       and not isinstance(ch, ast.arguments): continue
                    yield from walk(ch)
            for n in walk(tree):
                if isinstance(n, (ast.Import, ast.ImportFrom)):
                    for a in n.names:
                        if a.name == '*': star = True
                        else: defined.add((a.asname or a.name).split('.')[0])
                elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    defined.add(n.name); defined |= {a.arg for a in ast.walk(n.args) if isinstance(a, ast.arg)} if hasattr(n, 'args') else set()
                elif isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)): defined.add(n.id)
                elif isinstance(n, ast.arg): defined.add(n.arg)
                elif isinstance(n, ast.ExceptHandler) and n.name: defined.add(n.name)
                elif isinstance(n, ast.Name): used.append(n.id)
            if (flag := re.search(r'^#\|\s*(slow|gpu|long|notest)\b', s, re.M)):
                problems.append(f"{f.relative_to(nbs)}: cell {c.get('id')} is a {flag.group(1)} cell with an import or show_doc: "
                                "nbdev_docs runs it whatever its flag; move its imports to the page's import cell")
            missing = sorted({u for u in used if u not in known and u not in defined})
            if missing and not star:
                problems.append(f"{f.relative_to(nbs)}: cell {c.get('id')} runs when nbdev_docs builds the page (it has an import, an export "
                                f"or show_doc), but uses {missing[:5]}, which only cells it does not run define: the docs build fails. "
                                "Move its imports to the page's import cell")
            known |= defined
    return problems

def imported(src:str, package:str) -> set[str]:
    "The modules of `package` that the code `src` imports by name (every one of `import p.a, p.b`)."
    mods = {a for a, _ in re.findall(_IMPORT.format(p=package), src) if a}
    for line in re.findall(r'(?:^|\n)\s*import\s+([^\n#]+)', src):
        mods |= set(re.findall(rf'(?:^|,)\s*{package}\.(\w+)', line))
    return mods

def patch_imports(package:str, names:list[str], nbs:Path) -> list[str]:
    "Notebooks that call a method `@patch`ed on a class from another module without importing that module (rule 6)."
    direct = {n: imported(Path(importlib.import_module(f'{package}.{n}').__file__).read_text(), package) for n in names}
    def closure(mods:set[str]) -> set[str]:
        seen, todo = set(), list(mods)
        while todo:
            m = todo.pop()
            if m in seen or m not in direct: continue
            seen.add(m); todo += direct[m]
        return seen
    added, defined = {}, {}        # method name -> modules that add it to another module's class / whose classes define it
    for n in names:
        mod = importlib.import_module(f'{package}.{n}')
        for cls in vars(mod).values():
            if not inspect.isclass(cls) or cls.__module__ != mod.__name__: continue
            for mn, mf in vars(cls).items():
                m_of = getattr(mf, '__module__', None) or ''
                if m_of == mod.__name__: defined.setdefault(mn, set()).add(n)
                elif inspect.isfunction(mf) and not mn.startswith('_') and m_of.startswith(f'{package}.'):
                    added.setdefault(mn, set()).add(m_of.split('.')[-1])
    problems = []
    for nb_path in sorted(p for p in nbs.rglob('[0-9]*.ipynb') if not any(q.startswith(('_', '.')) for q in p.relative_to(nbs).parts)):
        cells = [c for c in json.loads(nb_path.read_text())['cells'] if c['cell_type'] == 'code']
        srcs = [''.join(c['source']) for c in cells]
        own = re.findall(r'#\|\s*default_exp\s+(\w+)', '\n'.join(srcs))
        have = closure(set().union(*(imported(s, package) for s in srcs)) | set(own))
        calls = '\n'.join(s for s in srcs if not re.match(r'\s*#\|\s*export', s))
        for mn, mods in sorted(added.items()):
            if mods & have or defined.get(mn, set()) & have: continue
            if re.search(rf'\.{mn}\(', calls):
                problems.append(f"{nb_path.name}: calls `.{mn}()`, which `{' or '.join(sorted(mods))}` adds with @patch, "
                                f"but imports neither: add `import {package}.{sorted(mods)[0]}` to its imports")
    return problems

def check(package:str='fastlessons') -> list[str]:
    pkg = importlib.import_module(package)
    events = set(getattr(importlib.import_module(f'{package}.callback'), 'EVENTS', ()))
    problems = []
    names = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith('_') and m.name != 'all')
    for name in names:
        mod = importlib.import_module(f'{package}.{name}')
        nb = notebook_of(mod)
        for sym in getattr(mod, '__all__', []):
            obj = getattr(mod, sym)
            if getattr(obj, '__module__', None) != mod.__name__: continue          # re-exported from elsewhere
            where = f'{name}.{sym}'
            if inspect.isfunction(obj):
                fs = {where: obj}
            elif inspect.isclass(obj):
                fs = {where: obj.__init__} if '__init__' in vars(obj) else {}
                for mn, mf in own_methods(obj).items(): fs[f'{where}.{mn}'] = mf   # every method's parameters documented
                for mn, mf in own_methods(obj, events | PROTOCOL).items():
                    if not patched(mf) and f'show_doc({sym}.{mn})' not in nb.replace('\\"', '"'):
                        problems.append(f'{where}.{mn}: a public method with no docs entry: add `show_doc({sym}.{mn})` to its notebook')
                    shown = borrowed_doc(obj, mn, package)
                    if shown: problems.append(f'{where}.{mn}: no docstring of its own, so its docs entry reads {shown}: '
                                              'give it a one-line docstring')
                if not inspect.getdoc(obj): problems.append(f'{where}: no docstring')
            else: continue
            for w, f in fs.items():
                if w.endswith('__init__') or w == where and inspect.isclass(obj): w = where
                miss = params_missing(f)
                if miss: problems.append(f"{w}: parameter(s) {', '.join(miss)} without a docments comment (`name:type, # what it is`)")
                if kwargs_misfiled(f): problems.append(f"{w}: the **kwargs comment is filed as the return value: give the return "
                                                       "its own comment (`) -> T: # what it is`)")
                if inspect.isfunction(obj) and not inspect.getdoc(f): problems.append(f'{w}: no docstring')
    all_src = Path(importlib.import_module(f'{package}.all').__file__).read_text()
    if re.search(rf'^from ({package})?\.\w+ import \*', all_src, re.M): problems.append('all.py lists modules: it must find them')
    star = set(importlib.import_module(f'{package}.all').__all__)
    fixtures = set(getattr(importlib.import_module(f'{package}.testing'), '__all__', [])) & star
    if fixtures: problems.append(f"the star import brings test fixtures: {sorted(fixtures)}")
    nbs = Path(pkg.__file__).parent.parent/'nbs'
    if nbs.is_dir(): problems += joined_tests(nbs) + hidden_show_docs(nbs) + patch_imports(package, names, nbs) + import_cells(nbs)
    return problems

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--package', default='fastlessons')
    a = ap.parse_args()
    probs = check(a.package)
    for p in probs: print(p)
    print(f'check_rules: {len(probs)} problem(s)')
    sys.exit(1 if probs else 0)
