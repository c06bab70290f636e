"""Loop overhead: this Learner (progress bar, recorder, metrics on) against a bare PyTorch loop.

Same model (the lesson-7 `Resnet` of `fastlessons.convnets`, widths 10-20-40-80-160), same synthetic batches of 256 images of 32x32, same optimizer;
the two are timed interleaved (bare, learner, learner, bare, ...) in one run, and the ratio of the per-step
times is printed as a JSON line, then as a short table.

    OMP_NUM_THREADS=2 python bench/overhead.py [--threads 2] [--reps 6] [--steps 10]
"""
import argparse, contextlib, json, statistics, sys, time
import torch, torch.nn.functional as F
from fastlessons.core import set_seed, setup_cpu, cpu_report
from fastlessons.learner import Learner, DataLoaders, TensorLoader, accuracy
from fastlessons.convnets import Resnet

def bare_epoch(model, opt, train, valid):
    model.train()
    for xb, yb in train:
        loss = F.cross_entropy(model(xb), yb); loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
    model.eval(); n, s_loss, s_acc = 0, 0., 0.
    with torch.no_grad():
        for xb, yb in valid:
            p = model(xb); s_loss += F.cross_entropy(p, yb).item()*len(yb); s_acc += accuracy(p, yb).item()*len(yb); n += len(yb)
    return s_loss/n, s_acc/n

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=2); ap.add_argument('--reps', type=int, default=8)
    ap.add_argument('--steps', type=int, default=10); ap.add_argument('--bs', type=int, default=256)
    a = ap.parse_args()
    setup_cpu(a.threads); set_seed(0)
    n_tr, n_va = a.steps*a.bs, 2*a.bs
    x, y = torch.randn(n_tr + n_va, 3, 32, 32), torch.randint(0, 10, (n_tr + n_va,))
    train, valid = TensorLoader(x[:n_tr], y[:n_tr], a.bs, shuffle=True, seed=0), TensorLoader(x[n_tr:], y[n_tr:], a.bs)
    m_bare, m_learn = Resnet([10, 20, 40, 80, 160], 10), Resnet([10, 20, 40, 80, 160], 10)   # the lesson's Resnet
    opt = torch.optim.SGD(m_bare.parameters(), lr=0.01, momentum=0.9)
    learn = Learner(m_learn, DataLoaders(train, valid), F.cross_entropy, lambda ps, lr: torch.optim.SGD(ps, lr=lr, momentum=0.9),
                    lr=0.01, metrics=accuracy, device='cpu', progress=True)
    with contextlib.redirect_stdout(sys.stderr): bare_epoch(m_bare, opt, train, valid); learn.fit(1)   # warm-up, not timed
    t_bare, t_learn = [], []
    for r in range(a.reps):
        order = ('bare', 'learn') if r % 2 == 0 else ('learn', 'bare')
        for which in order:
            t0 = time.perf_counter()
            if which == 'bare': bare_epoch(m_bare, opt, train, valid)
            else:
                with contextlib.redirect_stdout(sys.stderr): learn.fit(1)   # the bars are drawn (and timed), on stderr
            (t_bare if which == 'bare' else t_learn).append((time.perf_counter() - t0)/a.steps)
    ratios = [l/b for l, b in zip(t_learn, t_bare)]
    res = dict(bench='overhead', model='lesson-7 Resnet (10-20-40-80-160)', batch=f'{a.bs}x3x32x32', steps_per_epoch=a.steps,
               valid_batches=2, reps=a.reps, threads=a.threads, torch=torch.__version__, **cpu_report(),
               bare_s_per_step=round(statistics.median(t_bare), 4), learner_s_per_step=round(statistics.median(t_learn), 4),
               ratio=round(sum(t_learn)/sum(t_bare), 4), ratio_median=round(statistics.median(ratios), 4),
               ratios=[round(r, 4) for r in ratios])
    print(json.dumps(res))
    print(f"\n| loop | s/step (median of {a.reps}) |\n|---|---|\n| bare PyTorch | {res['bare_s_per_step']} |\n"
          f"| Learner (progress, recorder, metrics) | {res['learner_s_per_step']} |\n| ratio (total) | {res['ratio']} |")

if __name__ == '__main__': main()
