"""Predicting many new items: `learn.get_preds(dl=learn.dls.test_dl(items))` (batches) against a loop of `learn.predict(item)`.

Three kinds, each on the learner its page builds: (user, item) pairs of MovieLens (`collab_learner`, page 05a), prompts of
Nietzsche (`text_learner`, the AWD recipe in float32, page 13a; prompts of 10-40 characters, so `test_dl` batches the ones of
equal length), and image files (`image_learner` on a folder of generated 32x32 PNGs, page 09a). Prediction costs the same
with trained or untrained weights, so the models are not trained. The two ways are timed interleaved (loop, batch, batch,
loop, ...) in one run, the best of `--reps` kept for each; their answers are checked to agree. One JSON line per kind:
items, seconds each way, the ratio (loop / batch), the CPU and torch's threads; then a short table.

    FASTLESSONS_DATA=../shared/data python bench/predict.py [--threads 2] [--reps 3] [--kinds collab,text,image]
"""
import argparse, contextlib, json, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd, torch
from fastlessons.core import setup_cpu, cpu_info, set_seed
from fastlessons.data import get_data
from fastlessons.collab_learner import collab_learner
from fastlessons.text_learner import text_learner
from fastlessons.image_learner import image_learner
from fastlessons.testing import synth_colour_squares

def collab_case(n:int):
    ml = get_data('ml-latest-small')
    learn = collab_learner(pd.read_csv(ml/'ratings.csv'), items=pd.read_csv(ml/'movies.csv'), device='cpu', progress=False)
    d = learn.ratings.df.iloc[learn.ratings.valid_idx[:n]]
    return learn, list(zip(d.userId.tolist(), d.movieId.tolist())), lambda p: p.raw, 'MovieLens ml-latest-small validation pairs'

def text_case(n:int):
    learn = text_learner(get_data('nietzsche'), lower=True, recipe='awd', device='cpu', progress=False, mixed_precision=None)
    rng, t = np.random.default_rng(0), learn.valid_text
    lens = rng.integers(10, 41, n); starts = rng.integers(0, len(t) - 41, n)
    prompts = [t[s:s+k] for s, k in zip(starts, lens)]
    return learn, prompts, lambda p: p.raw[-1], "Nietzsche prompts of 10-40 characters, AWDCharLSTM (2x512), float32"

def image_case(n:int, tmp:Path):
    from PIL import Image
    x, y = synth_colour_squares(n + 64, 32, seed=0)
    for split, idx in (('train', range(64)), ('valid', range(64, n + 64))):
        for i in idx:
            f = tmp/split/'rb'[int(y[i])]/f'{i}.png'; f.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(x[i].permute(1, 2, 0).numpy()).save(f)
    learn = image_learner(tmp, device='cpu', progress=False, cache=tmp/'cache')
    files = sorted((tmp/'valid').rglob('*.png'))
    return learn, files, lambda p: p.raw, "32x32 PNG files, Resnet2"

def run(kind, learn, items, raw_of, what, reps, bs):
    loop = lambda: torch.stack([raw_of(learn.predict(it)) for it in items])
    batch = lambda: learn.get_preds(dl=learn.dls.test_dl(items, bs=bs))[0]
    a, b = loop(), batch()                                  # warm-up, and the two answers compared
    t_loop, t_batch = [], []
    for i in range(reps):
        for name, f, ts in (('loop', loop, t_loop), ('batch', batch, t_batch))[::1 if i % 2 == 0 else -1]:
            t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return dict(bench='predict', kind=kind, what=what, items=len(items), bs=bs, loop_seconds=round(min(t_loop), 4),
                batch_seconds=round(min(t_batch), 4), ratio=round(min(t_loop)/min(t_batch), 1),
                max_abs_diff=float((a - b).abs().max()), reps=reps, torch=torch.__version__, **cpu_info())

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=2); ap.add_argument('--reps', type=int, default=3)
    ap.add_argument('--bs', type=int, default=64); ap.add_argument('--kinds', default='collab,text,image')
    ap.add_argument('--n_pairs', type=int, default=2000); ap.add_argument('--n_prompts', type=int, default=200)
    ap.add_argument('--n_images', type=int, default=256)
    a = ap.parse_args()
    setup_cpu(a.threads); set_seed(0)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in a.kinds.split(','):
            with contextlib.redirect_stdout(sys.stderr):
                case = (collab_case(a.n_pairs) if kind == 'collab' else text_case(a.n_prompts) if kind == 'text'
                        else image_case(a.n_images, Path(tmp)) if kind == 'image' else None)
            if case is None: raise SystemExit(f"--kinds: {kind!r} is not one of collab, text, image")
            res = run(kind, *case, a.reps, a.bs)
            print(json.dumps(res), flush=True); rows.append(res)
    print(f"\n| kind | items | loop of predict, s | get_preds(test_dl), s | ratio |\n|---|---|---|---|---|")
    for r in rows: print(f"| {r['kind']} | {r['items']} | {r['loop_seconds']} | {r['batch_seconds']} | {r['ratio']}x |")
    print(f"\n{rows[0]['cpu']}, {rows[0]['torch_threads']} torch threads")

if __name__ == '__main__': main()
