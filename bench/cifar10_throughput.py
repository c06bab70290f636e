"""Training throughput of `AirNet` on this CPU (images per second of a full SGD step, random data), beside the rate of a
large matrix product in float32 and bf16: the ceiling that a convolution net's training can approach on the machine.

    python bench/cifar10_throughput.py [--threads 2]
    python bench/cifar10_throughput.py --profile      # where a step's time goes, by operation (widths 64, 256, 256, batch 512)

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

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--threads', type=int, default=2); ap.add_argument('--steps', type=int, default=6)
    ap.add_argument('--profile', action='store_true', help='print the share of each operation in a training step instead')
    a = ap.parse_args()
    setup_cpu(a.threads); report = cpu_report()
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
        torch.manual_seed(0)
        m = AirNet(channel_stats(x), widths, x_whiten=x)
        fl = step_flops(m, size)
        m = m.to(memory_format=torch.channels_last)
        opt = torch.optim.SGD([p for p in m.parameters() if p.requires_grad], lr=0.01, momentum=0.85, nesterov=True)
        xb = F.interpolate(x[:bs].float(), size=size).contiguous(memory_format=torch.channels_last); yb = torch.randint(0, 10, (bs,))
        def step():
            with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16): loss = F.cross_entropy(m(xb), yb)
            loss.backward(); opt.step(); opt.zero_grad()
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
