"""Where a training step of the character LSTM spends its time on this CPU, and which implementation of the step is
fastest: `nn.LSTM` in float32, `nn.LSTM` under bf16 autocast (where oneDNN has the kernel), and the step written out
(`fastlessons.awd.ScanLSTM`: the input projection of every time step as one matrix product, then a loop over time
for the recurrent product and the gates), in float32 and with bf16 matrix products on a float32 state.

    python bench/lstm_step.py [--bs 128] [--bptt 64] [--n_hidden 512] [--reps 5] [--threads 2] [--profile]

All variants are timed interleaved, in one run (forward and backward of the AWD recipe's 2-layer LSTM on one batch,
the best of `--reps` after a warm-up, in each of two rounds), and reported as characters per second and as a ratio to `nn.LSTM` in float32. Prints a JSON
line and a table; `--profile` adds `torch.profiler`'s top operators for `nn.LSTM` float32 and the written-out step.
"""
import argparse, json, time
import torch
from torch import nn
from fastlessons.core import setup_cpu, cpu_report
from fastlessons.awd import ScanLSTM

def step_fn(model, x, autocast):
    def step():
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=autocast):
            out, _ = model(x)
        out.float().pow(2).mean().backward()
    return step

def best(fn, reps):
    fn()                                                 # warm-up: oneDNN builds its primitives on the first call
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    return min(ts)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bs', type=int, default=128); ap.add_argument('--bptt', type=int, default=64)
    ap.add_argument('--n_hidden', type=int, default=512); ap.add_argument('--n_in', type=int, default=42)
    ap.add_argument('--reps', type=int, default=2); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--profile', action='store_true')
    a = ap.parse_args()
    setup_cpu(a.threads); torch.manual_seed(0)
    report = cpu_report()
    ref = nn.LSTM(a.n_in, a.n_hidden, 2, batch_first=True)
    scan32, scan16 = ScanLSTM.from_lstm(ref), ScanLSTM.from_lstm(ref, matmul_dtype=torch.bfloat16)
    x = torch.randn(a.bs, a.bptt, a.n_in)
    variants = {'nn.LSTM float32': step_fn(ref, x, False), 'nn.LSTM bf16 autocast': step_fn(ref, x, True),
                'ScanLSTM float32': step_fn(scan32, x, False), 'ScanLSTM bf16 matmuls': step_fn(scan16, x, False)}
    times, errors = {k: [] for k in variants}, {}
    for _ in range(2):                                   # interleaved: a slow stretch of the machine hits every variant
        for k, f in variants.items():
            if k in errors: continue
            try: times[k].append(best(f, a.reps))
            except RuntimeError as e: errors[k] = str(e).splitlines()[0][:160]
    chars = a.bs*a.bptt
    rows = {k: dict(seconds=round(min(v), 4), chars_per_second=round(chars/min(v))) for k, v in times.items() if v}
    base = rows['nn.LSTM float32']['chars_per_second']
    for r in rows.values(): r['ratio'] = round(r['chars_per_second']/base, 3)
    res = dict(bench='lstm_step', bs=a.bs, bptt=a.bptt, n_hidden=a.n_hidden, layers=2, threads=a.threads, rows=rows, errors=errors,
               torch=torch.__version__, **report)
    print(json.dumps(res))
    print(f"\n| step (forward + backward, {a.bs} x {a.bptt}, 2 x {a.n_hidden}) | chars/s | ratio to nn.LSTM float32 |\n|---|---|---|")
    for k, r in rows.items(): print(f"| {k} | {r['chars_per_second']:,} | {r['ratio']} |")
    for k, e in errors.items(): print(f"| {k} | failed: {e} | |")
    print(f"\n{report['cpu']}, {a.threads} threads")
    if a.profile:
        from torch.profiler import profile, ProfilerActivity
        for k in ('nn.LSTM float32', 'ScanLSTM float32'):
            with profile(activities=[ProfilerActivity.CPU]) as p: variants[k]()
            print(f'\n{k}:\n' + p.key_averages().table(sort_by='self_cpu_time_total', row_limit=10))

if __name__ == '__main__': main()
