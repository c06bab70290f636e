"""CIFAR-10 from scratch on the CPU: the lesson's Resnet2 (or a wider variant) trained for a fixed time budget,
evaluated on the 10,000 test images with and without test-time augmentation.

Decoding is cached (fastlessons.vision.load_image_folder): the first run decodes the JPEGs and the JSON line
reports that cost as `first_decode_seconds` (0 when the cache was warm); it is not counted in train_seconds.

    FASTLESSONS_DATA=../shared/data python bench/cifar10.py [--budget 720] [--threads 2] [--arch resnet2]

Target (issue 6): TTA accuracy at least 85.0% within 12 minutes of 2-thread CPU training. The lesson: Resnet2
82.9%, with TTA 84.9%, after about 35 GPU epochs.
"""
import argparse, contextlib, json, sys, time
import torch, torch.nn as nn, torch.nn.functional as F
from fastlessons.core import set_seed, setup_cpu
from fastlessons.data import get_data
from fastlessons.learner import Learner, accuracy
from fastlessons.schedule import TimeBudget
from fastlessons.vision import load_image_folder, channel_stats, image_dls, Augment
from fastlessons.convnets import Resnet2, with_norm, tta_augs

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--budget', type=float, default=720.); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--arch', default='resnet2'); ap.add_argument('--layers', default='16,32,64,128,256')
    ap.add_argument('--bs', type=int, default=256); ap.add_argument('--lr', type=float, default=4e-3)
    ap.add_argument('--wd', type=float, default=0.05); ap.add_argument('--p', type=float, default=0.2)
    ap.add_argument('--channels_last', type=int, default=1)
    a = ap.parse_args()
    setup_cpu(a.threads); set_seed(0)
    path = get_data('cifar10')
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):
        x, y, classes = load_image_folder(path, 'train'); tx, ty, _ = load_image_folder(path, 'test')
    load_s = time.perf_counter() - t0
    stats = channel_stats(x)
    layers = [int(v) for v in a.layers.split(',')]
    model = with_norm(Resnet2(layers, 10, a.p), stats)
    dls = image_dls(x, y, tx, ty, bs=a.bs)
    tb = TimeBudget(a.budget)
    learn = Learner(model, dls, F.cross_entropy, torch.optim.AdamW, lr=a.lr, wd=a.wd, metrics=accuracy, cbs=[Augment(), tb],
                    channels_last=bool(a.channels_last), device='cpu')
    with contextlib.redirect_stdout(sys.stderr): learn.fit(1000)
    test_acc = learn.recorder.values[-1][2]
    t1 = time.perf_counter()
    p, t = learn.tta(dls.valid, augs=tta_augs())
    tta_acc = accuracy(p, t).item(); tta_s = time.perf_counter() - t1
    res = dict(bench='cifar10', model=f'Resnet2({layers}, p={a.p})', params=sum(q.numel() for q in model.parameters()),
               threads=a.threads, bs=a.bs, lr=a.lr, wd=a.wd, budget_s=a.budget, train_seconds=round(tb.used, 1),
               epochs=round(tb.n_items/len(x), 2), images_per_second=round(tb.n_items/tb.used), test_acc=round(test_acc, 4),
               tta_acc=round(tta_acc, 4), tta_seconds=round(tta_s, 1), tta_copies=1 + len(tta_augs()),
               data_load_seconds=round(load_s, 2), acc_per_epoch=[round(v[2], 4) for v in learn.recorder.values],
               lesson='Resnet2 82.9%, TTA 84.9%', torch=torch.__version__)
    print(json.dumps(res))
    print(f"\n| model | train s | epochs | test acc | TTA acc | lesson |\n|---|---|---|---|---|---|\n"
          f"| {res['model']} | {res['train_seconds']} | {res['epochs']} | {test_acc:.2%} | {tta_acc:.2%} | 82.9% / 84.9% |")

if __name__ == '__main__': main()
