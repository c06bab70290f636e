"""The cost of going distributed: the CIFAR recipe (`fast_cifar_learner`) on 1 process x 2 threads against
2 processes x 1 thread (DistributedDataParallel over gloo, started with `run_ranks`, as `torchrun` would), on the
same global batch, in one run. Prints a JSON line with both throughputs (training images per second) and their ratio.

    python bench/ddp.py [--images 3840] [--bs 128] [--epochs 2]

On a 2-core CPU there is little to gain (the two cores are shared either way); the ratio measures the overhead of
the gradient all-reduce and of the agreed decisions. Throughput is taken from the last epoch (the first warms up),
on generated 32x32 images: the speed of a step does not depend on what the pixels show.
"""
import argparse, contextlib, io, json, os, sys
import torch

def run(n_images:int, bs:int, epochs:int, threads:int) -> dict:
    "Train the recipe for `epochs` epochs; return the last epoch's training seconds (of this rank)."
    from fastlessons.core import set_seed, setup_cpu
    from fastlessons.fast_cifar import fast_cifar_learner
    setup_cpu(threads); set_seed(0)
    g = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (n_images, 3, 32, 32), generator=g, dtype=torch.uint8); y = torch.randint(0, 10, (n_images,), generator=g)
    xv, yv = x[:256], y[:256]
    learn = fast_cifar_learner(x, y, xv, yv, budget=None, bs=bs, resize=None, device='cpu', progress=False)
    with contextlib.redirect_stdout(io.StringIO()):
        learn.fit(epochs - 1)                # the warm-up epochs
        learn.fit(1)                         # the measured one: the loop counts its training seconds (validation excluded)
    return dict(seconds=learn.train_seconds, world=learn.world_size)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--images', type=int, default=3840); ap.add_argument('--bs', type=int, default=128, help='global batch size')
    ap.add_argument('--epochs', type=int, default=2)
    a = ap.parse_args()
    from fastlessons.core import cpu_report
    from fastlessons.distributed import run_ranks
    one = run(a.images, a.bs, a.epochs, threads=2)
    two = run_ranks(run, 2, args=(a.images, a.bs//2, a.epochs, 1), threads=1, timeout=1800)
    assert all(r['world'] == 2 for r in two), 'the two processes did not train together'
    one_ips = a.images/one['seconds']
    two_ips = a.images/max(r['seconds'] for r in two)          # the ranks step together: the slower one sets the pace
    res = dict(bench='ddp', recipe='fast_cifar_learner (FastNet, full size, no resizing)', images_per_epoch=a.images,
               global_bs=a.bs, epochs=a.epochs, one_process_2_threads_images_per_s=round(one_ips, 1),
               two_processes_1_thread_images_per_s=round(two_ips, 1), ratio=round(two_ips/one_ips, 3), target='ratio >= 0.85',
               met=bool(two_ips/one_ips >= 0.85), torch=torch.__version__, **cpu_report())
    print(json.dumps(res))
    print(f"\n| run | images/s |\n|---|---|\n| 1 process x 2 threads | {res['one_process_2_threads_images_per_s']} |\n"
          f"| 2 processes x 1 thread (DDP, gloo) | {res['two_processes_1_thread_images_per_s']} |\n| ratio | {res['ratio']} |")

if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
