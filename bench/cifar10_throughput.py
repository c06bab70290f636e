"""Training throughput of `AirNet` on this CPU (images per second of a full SGD step, random data), beside the rate of a
large matrix product in float32 and bf16: the ceiling that a convolution net's training can approach on the machine.

    python bench/cifar10_throughput.py [--threads 2]
    python bench/cifar10_throughput.py --profile      # where a step's time goes, by operation (widths 64, 256, 256, batch 512)
    python bench/cifar10_throughput.py --batches 512,1000,2000   # the recipes' net (64, 192, 192) at several batch sizes,
                                                      # interleaved in rounds so that the machine's drift hits all alike

Prints one JSON line per configuration (widths, batch size, image size, bf16 or float32) and one for the matrix
products, each with the CPU report, then a table. The FLOPs of a step are counted from the convolutions and the linear
layer (forward, and twice that for the backward pass); the rest (BatchNorm, GELU, pooling) is not counted.
"""
import argparse, json, time
import torch, torch.nn.functional as F
from torch import nn
from fastlessons.core import setup_cpu, cpu_report, matmul_gflops
from fastlessons.fast_cifar import AirNet
from fastlessons.vision import channel_stats

CONFIGS = [  # (widths, batch size, image size, bf16)
    ((24, 64, 256, 256), 512, 32, True), ((24, 64, 256, 256), 512, 24, True), ((24, 64, 192, 192), 512, 32, True),
    ((24, 64, 192, 192), 512, 24, True), ((24, 64, 160, 160), 512, 32, True), ((24, 64, 128, 128), 512, 32, True),
    ((24, 64, 128, 128), 512, 24, True), ((24, 64, 256, 256), 256, 32, True), ((24, 64, 192, 192), 256, 32, True),
    ((24, 64, 192, 192), 256, 24, True), ((24, 64, 256, 256), 512, 32, False)]

def step_flops(model, size):
    "Multiply-adds x 2 of the convolutions and linear layers for one image, forward; x 3 for a training step."
    fl, hooks = [0], []
    def f(m, i, o):
        if isinstance(m, nn.Conv2d): fl[0] += 2*o[0].numel()*m.in_channels*m.kernel_size[0]*m.kernel_size[1]//m.groups
        else: fl[0] += 2*m.in_features*m.out_features
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)): hooks.append(m.register_forward_hook(f))
    with torch.no_grad(): model(torch.zeros(1, 3, size, size))
    for h in hooks: h.remove()
    return 3*fl[0]

def profile_step(widths=(24, 64, 256, 256), bs=512, size=32, steps=3):
    "The share of a bf16 training step's CPU time taken by each operation (torch.profiler, self time), largest first."
    from torch.profiler import profile
    x = torch.randint(0, 256, (bs, 3, 32, 32), dtype=torch.uint8)
    torch.manual_seed(0)
    m = AirNet(channel_stats(x), widths, x_whiten=x).to(memory_format=torch.channels_last)
    opt = torch.optim.SGD([p for p in m.parameters() if p.requires_grad], lr=0.01, momentum=0.85, nesterov=True)
    xb = F.interpolate(x.float(), size=size).contiguous(memory_format=torch.channels_last); yb = torch.randint(0, 10, (bs,))
    def step():
        with torch.autocast('cpu', dtype=torch.bfloat16): loss = F.cross_entropy(m(xb), yb, label_smoothing=0.2)
        loss.backward(); opt.step(); opt.zero_grad()
    step(); step()
    with profile() as prof:
        for _ in range(steps): step()
    ev = [e for e in prof.key_averages() if e.key.startswith('aten::')]
    total = sum(e.self_cpu_time_total for e in ev)
    return sorted(((e.key, e.self_cpu_time_total/total) for e in ev), key=lambda r: -r[1])

def make_step(widths, bs, size, bf16, x):
    "A bf16 (or float32) SGD training step of `AirNet` on `bs` random images of `size` pixels; its FLOPs per image."
    torch.manual_seed(0)
    m = AirNet(channel_stats(x), widths, x_whiten=x[:1024])
    fl = step_flops(m, size)
    m = m.to(memory_format=torch.channels_last)
    opt = torch.optim.SGD([p for p in m.parameters() if p.requires_grad], lr=0.01, momentum=0.85, nesterov=True)
    xb = F.interpolate(x[:bs].float(), size=size).contiguous(memory_format=torch.channels_last); yb = torch.randint(0, 10, (bs,))
    def step():
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16): loss = F.cross_entropy(m(xb), yb)
        loss.backward(); opt.step(); opt.zero_grad()
    return step, fl

def batch_sweep(batches, sizes=(24, 32), widths=(24, 64, 192, 192), rounds=3, images=4000):
    "Images/s of a training step per (batch, size), about `images` images a timing, the configurations interleaved round by round; the median of the rounds."
    x = torch.randint(0, 256, (max(batches), 3, 32, 32), dtype=torch.uint8)
    steps = {(bs, sz): make_step(widths, bs, sz, True, x)[0] for bs in batches for sz in sizes}
    for f in steps.values(): f(); f()
    times = {k: [] for k in steps}
    for _ in range(rounds):
        for (bs, sz), f in steps.items():
            n = max(1, round(images/bs)); t0 = time.perf_counter()
            for _ in range(n): f()
            times[(bs, sz)].append(bs*n/(time.perf_counter() - t0))
    return {k: sorted(v)[len(v)//2] for k, v in times.items()}

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--threads', type=int, default=2); ap.add_argument('--steps', type=int, default=6)
    ap.add_argument('--profile', action='store_true', help='print the share of each operation in a training step instead')
    ap.add_argument('--batches', default=None, help="comma-separated batch sizes: compare them (192 channels, 24 and 32 pixels, bf16) instead")
    ap.add_argument('--rounds', type=int, default=3, help='--batches: interleaved rounds (the median counts)')
    a = ap.parse_args()
    setup_cpu(a.threads); report = cpu_report()
    if a.batches:
        batches = [int(v) for v in a.batches.split(',')]
        ips = batch_sweep(batches, rounds=a.rounds)
        for (bs, sz), v in ips.items():
            print(json.dumps(dict(bench='cifar10_batch_sweep', widths=(24, 64, 192, 192), bs=bs, size=sz, bf16=True, images_per_second=round(v),
                                  ratio_to_first_batch=round(v/ips[(batches[0], sz)], 3), rounds=a.rounds, **report)), flush=True)
        print(f"\n{report['cpu']}, {a.threads} threads, median of {a.rounds} interleaved rounds\n\n| batch | size | images/s | ratio to batch {batches[0]} |\n|---|---|---|---|")
        for (bs, sz), v in ips.items(): print(f"| {bs} | {sz} | {v:.0f} | {v/ips[(batches[0], sz)]:.3f} |")
        return
    if a.profile:
        rows = profile_step()
        print(json.dumps(dict(bench='cifar10_step_profile', widths=(24, 64, 256, 256), bs=512, size=32, bf16=True,
                              shares={k: round(v, 4) for k, v in rows if v >= 0.005}, **report)))
        print('\n| operation | share of the step |\n|---|---|')
        for k, v in rows[:12]: print(f'| {k} | {v:.1%} |')
        return
    big = matmul_gflops(n=4096)
    mm = dict(bench='matmul', n=4096, fp32_gflops=big['matmul_gflops_fp32'], bf16_gflops=big['matmul_gflops_bf16'], **report)
    print(json.dumps(mm), flush=True)
    x = torch.randint(0, 256, (1024, 3, 32, 32), dtype=torch.uint8)
    rows = []
    for widths, bs, size, bf16 in CONFIGS:
        step, fl = make_step(widths, bs, size, bf16, x)
        for _ in range(2): step()
        t0 = time.perf_counter()
        for _ in range(a.steps): step()
        ips = bs*a.steps/(time.perf_counter() - t0)
        r = dict(bench='cifar10_throughput', widths=widths, bs=bs, size=size, bf16=bf16, images_per_second=round(ips),
                 gflop_per_image=round(fl/1e9, 3), gflops=round(ips*fl/1e9), threads=a.threads, cpu=report['cpu'])
        rows.append(r); print(json.dumps(r), flush=True)
    print(f"\n{report['cpu']}, {a.threads} threads: matrix product {mm['fp32_gflops']} GFLOP/s float32, {mm['bf16_gflops']} bf16\n")
    print('| widths | batch | size | precision | images/s | GFLOP/image (step) | GFLOP/s |\n|---|---|---|---|---|---|---|')
    for r in rows:
        print(f"| {', '.join(map(str, r['widths'][1:]))} | {r['bs']} | {r['size']} | {'bf16' if r['bf16'] else 'float32'} | {r['images_per_second']} | {r['gflop_per_image']} | {r['gflops']} |")

if __name__ == '__main__': main()
