"""CIFAR-10 from scratch on the CPU, for a fixed budget of training seconds (or a fixed number of epochs), evaluated on
the 10,000 test images with and without test-time augmentation.

    FASTLESSONS_DATA=../shared/data python bench/cifar10.py                    # AirNet, the airbench recipe of nbs/beyond/11_fast_cifar
    FASTLESSONS_DATA=../shared/data python bench/cifar10.py --recipe muon      # AirNet with airbench94_muon's optimizer (MuonSGD)
    FASTLESSONS_DATA=../shared/data python bench/cifar10.py --recipe muon --compare   # that, then the airbench recipe, same budget
    FASTLESSONS_DATA=../shared/data python bench/cifar10.py --compare          # that, then the previous recipe (FastNet), same budget
    FASTLESSONS_DATA=../shared/data python bench/cifar10.py --recipe fastnet   # FastNet alone (the recipe of issue 6)
    FASTLESSONS_DATA=../shared/data python bench/cifar10.py --recipe resnet2   # the lesson's Resnet2, AdamW, bs 256
    python bench/cifar10.py --epochs 6 --device cuda                           # by epochs instead of seconds (ablations)

Decoding is cached (`fastlessons.vision.load_image_folder`): a run that finds no cache decodes the 60,000 images
first and reports that as `first_decode_seconds` (null when the cache was warm); it is not counted in
`train_seconds`, and neither is the per-epoch validation (`wall_seconds` counts everything after loading).

Each JSON line also says how far the run is from the machine (`fastlessons.perf.limit_report`): the FLOPs of one
image's forward and backward pass (counted by `FlopCounterMode`), the matmul and 3x3-convolution rates measured now in
float32 and bf16, the run's achieved GFLOP/s and its share of those rates (`util_vs_conv`, `util_vs_matmul`), and
where a step's time goes (`step_profile_ms`: convolutions, matrix products, optimizer, data and augmentation, other
ops, Python), from a few steps profiled after training (`--profile 0` skips them).

Before training, the run chooses how to compute (`speed_choices` in the JSON, each with its reason): the precision
(`air_precision`), Muon's Newton-Schulz precision (`muon_ns_precision`), the layout (`layout_choice`: channels-last or
the usual, by timing a step of each) and whether to compile (`compile_choice`: `torch.compile` where a step is faster
and the saving pays for the compilation within the budget; the compilation test's timings are kept per CPU in
`probes.json` of the data cache, so only a machine's first run pays for it). The probes' seconds come out of the
training budget (`probe_seconds`); `--channels_last 1|0` and `--compile 1|0` skip them.

Target (issue 15): TTA accuracy of at least 90.0% within 600 s of 2-thread CPU training. Run it alone: a second busy
process on a 2-core machine slows it 3-4x.
"""
import argparse, contextlib, io, json, sys, time
import torch
from fastlessons.core import set_seed, setup_cpu, cpu_report, matmul_gflops
from fastlessons.distributed import rank, world_size
from fastlessons.data import get_data
from fastlessons.metrics import accuracy
from fastlessons.vision import load_image_folder, channel_stats, image_dls
from fastlessons.convnets import resnet2_learner, tta_augs
from fastlessons.perf import limit_report, layout_choice, compile_choice, _set_layout
from fastlessons.fast_cifar import fast_cifar_learner, air_cifar_learner, muon_cifar_learner, AIR_SCHEDULES

def parse_resize(s):
    "'24:0.5,28:0.8' -> ((24, 0.5), (28, 0.8)); 'none' -> ()"
    return () if s == 'none' else tuple((int(q.split(':')[0]), float(q.split(':')[1])) for q in s.split(','))

def build(recipe, a, x, y, tx, ty):
    "The learner of `recipe` (its numbers: `FAST_RECIPE`, `AIR_RECIPE`, `MUON_RECIPE`), with the flags that were given; its name, TTA and one cycle."
    widths = tuple(int(v) for v in a.widths.split(',')) if a.widths else None
    given = lambda **kw: {k: v for k, v in kw.items() if v is not None}
    dev = dict(device=a.device, progress=False, budget=None)     # no budget of its own: the run below gives the time or the epochs
    if recipe in ('air', 'muon'):
        kw = given(bs=a.bs, lr=a.lr, wd=a.wd, widths=widths, label_smoothing=a.label_smoothing, mom=a.mom, flip=a.flip, schedule=a.schedule)
        if recipe == 'air': kw.update(given(bias_lr_mult=a.bias_lr_mult))
        if a.fp32: kw['mixed_precision'] = None
        if a.resize is not None: kw['resize'] = parse_resize(a.resize)
        if a.no_lookahead and recipe == 'air': kw['lookahead'] = False
        if a.train_scale and recipe == 'air': kw['frozen_scale'] = False
        if not a.whiten: kw['whiten'] = False
        if recipe == 'muon' and a.ns_precision: kw['ns_precision'] = a.ns_precision
        make = air_cifar_learner if recipe == 'air' else muon_cifar_learner
        learn = make(x, y, tx, ty, seed=a.seed, **kw, **dev)
        name = ('AirNet, airbench recipe' if recipe == 'air' else 'AirNet, airbench94_muon recipe') + ''.join(f', {k}={v}' for k, v in kw.items())
        augs = tta_augs(d=1, n_shifts=2, mode='reflect')
        cycle = {}                                                # the recipe's own (`learn.one_cycle`)
    elif recipe == 'fastnet':                 # the previous recipe (issue 6): FastNet, progressive resizing
        kw = given(bs=a.bs, lr=a.lr, wd=a.wd, widths=widths)
        if not a.whiten: kw['whiten'] = False
        if a.resize is not None: kw['resize'] = parse_resize(a.resize)
        learn = fast_cifar_learner(x, y, tx, ty, seed=a.seed, **kw, **dev)
        name = 'FastNet, previous recipe' + ''.join(f', {k}={v}' for k, v in kw.items())
        augs = tta_augs(d=2, n_shifts=4, mode='reflect')
        cycle = {}
    else:                                     # the lesson's Resnet2 in the recipe of 09_convnets (resnet2_learner)
        kw = given(lr=a.lr, wd=a.wd, layers=widths)
        dev.pop('budget')
        learn = resnet2_learner(image_dls(x, y, tx, ty, bs=a.bs or 256, seed=a.seed), channel_stats(x), **kw, **dev)
        name = "Resnet2, resnet2_learner (AdamW)" + ''.join(f', {k}={v}' for k, v in kw.items())
        augs = tta_augs(d=2, n_shifts=4, mode='constant')
        cycle = {} if a.epochs else dict(pct_start=0.1, div=10., final_div=100.)   # by time: 10% warm-up, to lr/1000, as measured
    return learn, name, augs, cycle

def run(recipe, a, x, y, tx, ty, load_s, decoded):
    set_seed(a.seed)
    learn, name, augs, cycle = build(recipe, a, x, y, tx, ty)
    if a.tta_flip_only: augs = augs[:1]                       # tta_augs puts the flip first
    moms = None if a.moms == 'none' else tuple(float(v) for v in a.moms.split(','))
    if moms: cycle['moms'] = moms; name += f', moms={moms}'
    choices, t0 = dict(getattr(learn, 'speed_choices', {})), time.perf_counter()     # what was chosen for speed, and why
    if a.channels_last == 'auto': choices['layout'] = layout_choice(learn)
    else: _set_layout(learn, a.channels_last == '1'); choices['layout'] = dict(channels_last=learn.channels_last, reason=f'--channels_last {a.channels_last}')
    if a.compile == 'auto': choices['compile'] = compile_choice(learn, budget=None if a.epochs else a.budget)
    else: choices['compile'] = dict(compile=a.compile == '1', reason=f'--compile {a.compile}')
    if a.compile == '1': learn.model.compile()
    probe_s = time.perf_counter() - t0                       # the probes' time comes out of the training budget
    t1 = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):
        if a.epochs: learn.fit_one_cycle(a.epochs, **cycle)
        else: learn.fit_budget(a.budget - probe_s, **cycle)
    test_acc = learn.recorder.values[-1][2]
    t2 = time.perf_counter()
    p, t = learn.tta(learn.dls.valid, augs=augs)
    tta_acc = accuracy(p, t).item(); t3 = time.perf_counter()
    used, n_items = learn.train_seconds, learn.n_items          # the loop's own count: seconds and images of training
    target_ok = tta_acc >= a.target and (a.epochs or used + probe_s <= a.budget + 1)
    limit = limit_report(learn, n_items/used, profile=a.profile)   # FLOPs per image, the machine's rates now, utilisation, a step's profile
    return dict(bench='cifar10', recipe=recipe, model=name, params=sum(q.numel() for q in learn.model.parameters() if q.requires_grad),
                threads=torch.get_num_threads(), device=str(learn.device), mixed_precision=learn.mixed_precision,
                bs=learn.dls.train.bs, lr=learn.base_lrs, wd=learn.wds, one_cycle={k: getattr(v, '__name__', v) for k, v in {**learn.one_cycle, **cycle}.items()}, moms=moms, seed=a.seed,
                budget_s=None if a.epochs else a.budget, epochs_asked=a.epochs, train_seconds=round(used, 1),
                probe_seconds=round(probe_s, 1), speed_choices=choices,
                epochs=round(n_items/len(x), 2), images_per_second=round(n_items/used), test_acc=round(test_acc, 4),
                tta_acc=round(tta_acc, 4), tta_copies=1 + len(augs), tta_seconds=round(t3 - t2, 1),
                wall_seconds=round(t3 - t1, 1), first_decode_seconds=round(load_s, 1) if decoded else None,
                data_load_seconds=round(load_s, 2), acc_per_epoch=[round(v[2], 4) for v in learn.recorder.values],
                lesson='Resnet2 82.9%, TTA 84.9% (lesson7-cifar10.ipynb)',
                target=f'tta_acc >= {a.target}' + ('' if a.epochs else f' within {a.budget:.0f} s'), met=bool(target_ok),
                processes=world_size(), torch=torch.__version__, **limit)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--budget', type=float, default=600., help='seconds of training'); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--epochs', type=int, default=None, help='train this many epochs (one cycle) instead of for --budget seconds')
    ap.add_argument('--recipe', default='muon', choices=['muon', 'air', 'fastnet', 'resnet2'])
    ap.add_argument('--compare', action='store_true', help='run --recipe, then the previous recipe (muon: air; air: fastnet), in this process')
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--widths', default=None, help="comma-separated widths of the recipe's net (AirNet 24,64,192,192, airbench's 24,64,256,256; FastNet 24,32,128,128; Resnet2 16,32,64,128,256)")
    ap.add_argument('--bs', type=int, default=None); ap.add_argument('--lr', type=float, default=None); ap.add_argument('--wd', type=float, default=None)
    ap.add_argument('--mom', type=float, default=None, help='air: Nesterov momentum')
    ap.add_argument('--label_smoothing', type=float, default=None, help='air')
    ap.add_argument('--bias_lr_mult', type=float, default=None, help='air: lr multiplier of the BatchNorm shifts')
    ap.add_argument('--flip', default=None, choices=['random', 'alternate'], help="air: a coin per image and epoch, or airbench's alternating flip")
    ap.add_argument('--schedule', default=None, choices=list(AIR_SCHEDULES), help="air, muon: the lr's cycle (AIR_SCHEDULES; default the recipe's)")
    ap.add_argument('--no_lookahead', action='store_true', help='air: without Lookahead')
    ap.add_argument('--train_scale', action='store_true', help="air: train the BatchNorm scales (airbench freezes them)")
    ap.add_argument('--moms', default='none', help="cycle the momentum against the lr, e.g. 0.95,0.85,0.95 ('none': the recipe's fixed momentum)")
    ap.add_argument('--fp32', action='store_true', help='air: no bf16 autocast, even where it is faster')
    ap.add_argument('--resize', default=None, help="ProgressiveResize schedule 'size:until,...', or 'none' (default: the recipe's)")
    ap.add_argument('--whiten', type=int, default=1, help='0 trains the first layer instead of whitening it')
    ap.add_argument('--tta_flip_only', action='store_true', help='TTA: the image and its flip only')
    ap.add_argument('--channels_last', default='auto', choices=['auto', '1', '0'], help="'auto': layout_choice times a step in both layouts (its seconds come out of the budget)")
    ap.add_argument('--compile', default='auto', choices=['auto', '1', '0'], help="'auto': compile_choice (torch.compile where it pays within the budget; its timings kept per CPU in probes.json)")
    ap.add_argument('--ns_precision', default=None, choices=['auto', 'bfloat16', 'float32'], help="muon: Newton-Schulz's precision (default the recipe's 'auto': muon_ns_precision)")
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--target', type=float, default=0.90, help='TTA accuracy that counts as met')
    ap.add_argument('--profile', type=int, default=1, help="1: profile a few steps after training (where a step's time goes); 0: skip it")
    a = ap.parse_args()
    setup_cpu(a.threads); set_seed(a.seed)
    report = cpu_report()
    path = get_data('cifar10')
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(buf := io.StringIO()):
        x, y, classes = load_image_folder(path, 'train'); tx, ty, _ = load_image_folder(path, 'test', classes=classes)
    load_s = time.perf_counter() - t0
    decoded = 'decoded' in buf.getvalue(); print(buf.getvalue(), end='', file=sys.stderr)
    previous = {'muon': 'air', 'air': 'fastnet', 'resnet2': 'fastnet'}
    recipes = [a.recipe] + ([previous[a.recipe]] if a.compare and a.recipe in previous else [])
    results = []
    for i, r in enumerate(recipes):
        res = dict(run(r, a, x, y, tx, ty, load_s, decoded and i == 0), **report)
        res.update({k.replace('gflops', 'gflops_end'): v for k, v in matmul_gflops().items()})   # the machine's speed when the run ended
        results.append(res)
        if rank() == 0: print(json.dumps(res), flush=True)
    if rank() != 0: return                    # under torchrun, rank 0 reports
    if len(results) == 2:
        new, old = results
        print(json.dumps(dict(bench='cifar10-compare', new=new['model'], previous=old['model'], seed=a.seed,
                              tta_acc_new=new['tta_acc'], tta_acc_previous=old['tta_acc'], tta_acc_gain=round(new['tta_acc'] - old['tta_acc'], 4),
                              images_per_second_ratio=round(new['images_per_second']/old['images_per_second'], 3),
                              train_seconds=[new['train_seconds'], old['train_seconds']], cpu=report['cpu'])))
    for r in results:
        for k, v in r['speed_choices'].items(): print(f"{k}: {v['reason']}")
    print('\n| recipe | precision | train s | epochs | images/s | GFLOP/image | GFLOP/s | of conv rate | test acc | TTA acc |\n|---|---|---|---|---|---|---|---|---|---|')
    for r in results:
        print(f"| {r['model']} | {r['precision']} | {r['train_seconds']} | {r['epochs']} | {r['images_per_second']} | {r['gflop_per_item']} | "
              f"{r['achieved_gflops']} | {r['util_vs_conv']:.0%} | {r['test_acc']:.2%} | {r['tta_acc']:.2%} |")
    print(f"\n{report['cpu']}, {a.threads} threads, bf16 fast: {report['bf16_fast']}")

if __name__ == '__main__': main()
