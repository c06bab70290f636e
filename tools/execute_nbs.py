"""Execute notebooks in place so that their outputs (the docs site's figures and tables) come from real runs.

    FASTLESSONS_DATA=../shared/data python tools/execute_nbs.py nbs/lesson6/05_collab.ipynb [...]

Runs every cell, `#|slow` ones included, in the notebook's folder, with a real Jupyter kernel; skips cells
flagged `#|gpu` when CUDA is unavailable. Sets `FASTLESSONS_FULL=1` (unless already set), so a page can train
longer than the `slow` test tier does (`full_run()` in `fastlessons.core` reads it). Adds a last markdown line
with the hardware (CPU model and threads, or the GPU) and the time taken. Then run `nbdev_clean` and commit.

    python tools/execute_nbs.py --keep-slow nbs/lesson7/07_rnn.ipynb

`--keep-slow` runs every cell except the `#|slow` and `#|long` ones: those keep the outputs (if any) of their
earlier run (they are not run, so nothing after them may need their variables), and the footer says which cells
kept outputs from which earlier run. For a page whose long trainings took half an hour, when only short cells changed.
If a cell fails, the outputs so far are written to `_NAME.partial.ipynb` beside the notebook (the notebook itself is left as it was;
the leading `_` keeps nbdev and Quarto from exporting, testing or rendering it).
`--rerun TEXT` (repeatable, with `--keep-slow`) runs the slow cells whose source contains TEXT as well.
"""
import os, platform, re, sys, time
from pathlib import Path
import nbformat
from nbclient import NotebookClient

def has_cuda():
    try:
        import torch; return torch.cuda.is_available()
    except Exception: return False

def cpu_model():
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'): return line.split(':', 1)[1].strip()
    except OSError: pass
    return platform.processor() or platform.machine()

def is_slow(c): return c.cell_type == 'code' and re.search(r'^\s*#\s*\|\s*(slow|long)\b', c.source, re.M)

def main(paths, keep_slow=False, rerun=()):
    os.environ.setdefault('FASTLESSONS_FULL', '1')
    cuda = has_cuda()
    for p in map(Path, paths):
        nb = nbformat.read(p, as_version=4)
        skipped = {id(c): c.source for c in nb.cells
                   if c.cell_type == 'code' and not cuda and re.search(r'^\s*#\s*\|\s*gpu\b', c.source, re.M)}
        kept = {id(c): (c.source, c.outputs) for c in nb.cells if keep_slow and is_slow(c) and id(c) not in skipped
                and not any(r in c.source for r in rerun)}
        for c in nb.cells:
            if id(c) in skipped or id(c) in kept: c.source = 'pass'    # run nothing; the source comes back after execution
        old = [c.source for c in nb.cells if c.cell_type == 'markdown' and c.source.startswith('*Outputs on this page:')]
        nb.cells = [c for c in nb.cells if not (c.cell_type == 'markdown' and c.source.startswith('*Outputs on this page:'))]
        t0 = time.perf_counter()
        def restore():
            for c in nb.cells:
                if id(c) in skipped: c.source, c.outputs = skipped[id(c)], []
                if id(c) in kept: c.source, c.outputs = kept[id(c)]
        try: NotebookClient(nb, timeout=None, kernel_name='python3', resources={'metadata': {'path': str(p.parent)}}).execute()
        except Exception:    # an error (a failed assert after an hour's run): keep what ran, beside the notebook, then stop
            part = p.with_name(f'_{p.stem}.partial.ipynb')
            restore(); nbformat.write(nb, part); print(f'{p}: failed; outputs so far in {part}')
            raise
        dt = time.perf_counter() - t0
        restore()
        # the last complete run before this one (its outputs stay in the cells kept), not the whole chain of partial runs
        pieces = [q.strip().strip('*\\').strip() for o in old[:1] for q in o.split('\\\n')]
        full = [q.split('executed ', 1)[1] if 'executed ' in q else q for q in pieces if q and 'were not re-run' not in q]
        full = ['executed ' + q.rstrip('.') + '.' for q in full]
        dev = 'CUDA ' + __import__('torch').cuda.get_device_name() if cuda else (
            f"CPU: {cpu_model()}, {os.cpu_count()} cores, {os.environ.get('OMP_NUM_THREADS', os.cpu_count())} threads")
        nb.cells.append(nbformat.v4.new_markdown_cell(
            f"*Outputs on this page: executed {time.strftime('%Y-%m-%d')} on {dev}, in {dt/60:.1f} minutes"
            f"{'; cells that need CUDA were skipped' if skipped else ''}"
            f"{f'; {len(kept)} long (`slow`) cells were not re-run and keep the outputs of the run below' if kept else ''}.*"
            + (f"\\\n*Earlier run: {full[-1]}*" if kept and full else '')))
        nbformat.write(nb, p); print(f'{p}: {dt:.0f}s')

if __name__ == '__main__':
    args, rerun, paths = sys.argv[1:], [], []
    while args:
        a = args.pop(0)
        if a == '--rerun': rerun.append(args.pop(0))
        elif a != '--keep-slow': paths.append(a)
    main(paths, keep_slow='--keep-slow' in sys.argv, rerun=rerun)
