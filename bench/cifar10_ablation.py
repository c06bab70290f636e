"""The ablation tables of nbs/beyond/11_fast_cifar ("What each change bought"), reproduced: a recipe with one change at a time,
each row one `bench/cifar10.py` run (alone on the machine), printed as JSON lines as they come, then as a Markdown table.

    FASTLESSONS_DATA=../shared/data python bench/cifar10_ablation.py --table air --device cuda   # AirNet, 6 epochs a row
    FASTLESSONS_DATA=../shared/data python bench/cifar10_ablation.py --table widths --device cuda  # epochs a 2-core CPU affords in 600 s
    FASTLESSONS_DATA=../shared/data python bench/cifar10_ablation.py --table schedule --device cuda  # the lr's cycle and the flip, 12 epochs
    FASTLESSONS_DATA=../shared/data python bench/cifar10_ablation.py --table fastnet             # FastNet, 4 CPU minutes a row

The `air`, `widths` and `schedule` tables train by epochs, so they measure accuracy per epoch and can run on any device (a GPU does
a row in seconds); what a row costs on a CPU is `bench/cifar10_throughput.py`'s business. The `fastnet` table trains for
a budget of seconds, so it must run on the CPU it describes.
"""
import argparse, json, subprocess, sys
from pathlib import Path

AIR = ['--recipe', 'air', '--epochs', '6', '--widths', '24,64,256,256', '--bs', '512', '--lr', '0.75', '--resize', 'none', '--schedule', 'cos', '--flip', 'random']
COS = ['--schedule', 'cos', '--flip', 'random']   # what the rows of the first two tables ran with (the defaults then)
E12 = ['--recipe', 'air', '--epochs', '12']        # air_cifar_learner's net, batch and resizing: the epochs 600 CPU seconds buy
TABLES = {
    'air': [  # (what the row shows, bench/cifar10.py flags): airbench's own settings, then one change each
        ('`AirNet` (64, 256, 256), batch 512, the whole recipe', AIR),
        ('without `Lookahead`', AIR + ['--no_lookahead']),
        ('without label smoothing', AIR + ['--label_smoothing', '0']),
        ('first layer trained instead of whitened', AIR + ['--whiten', '0']),
        ('BatchNorm scales trained (not frozen)', AIR + ['--train_scale']),
        ('BatchNorm shifts at the weights\' learning rate', AIR + ['--bias_lr_mult', '1']),
        ('batch 1,024, lr 1.5 (airbench\'s batch)', AIR + ['--bs', '1024', '--lr', '1.5']),
        ('widths (64, 128, 128)', AIR + ['--widths', '24,64,128,128']),
        ('(the whole recipe, seed 1: the noise)', AIR + ['--seed', '1']),
    ],
    'widths': [  # each row the epochs that 600 s of 2-thread training buys on the Intel Xeon of bench/cifar10_throughput.py
        ('(64, 256, 256), batch 512: 4 epochs', ['--recipe', 'air', '--epochs', '4', '--widths', '24,64,256,256', '--bs', '512', '--lr', '0.75', '--resize', 'none', *COS]),
        ('(64, 256, 256), 24x24 for the first half: 5 epochs', ['--recipe', 'air', '--epochs', '5', '--widths', '24,64,256,256', '--bs', '512', '--lr', '0.75', '--resize', '24:0.5', *COS]),
        ('(64, 192, 192): 6 epochs', ['--recipe', 'air', '--epochs', '6', '--widths', '24,64,192,192', '--bs', '512', '--lr', '0.75', '--resize', 'none', *COS]),
        ('(64, 192, 192), 24x24 for the first half: 8 epochs', ['--recipe', 'air', '--epochs', '8', '--widths', '24,64,192,192', '--bs', '512', '--lr', '0.75', '--resize', '24:0.5', *COS]),
        ('(64, 160, 160): 8 epochs', ['--recipe', 'air', '--epochs', '8', '--widths', '24,64,160,160', '--bs', '512', '--lr', '0.75', '--resize', 'none', *COS]),
        ('(64, 160, 160), momentum cycled 0.95-0.85-0.95', ['--recipe', 'air', '--epochs', '8', '--widths', '24,64,160,160', '--bs', '512', '--lr', '0.75', '--resize', 'none', '--moms', '0.95,0.85,0.95', *COS]),
        ('(64, 128, 128): 9 epochs', ['--recipe', 'air', '--epochs', '9', '--widths', '24,64,128,128', '--bs', '512', '--lr', '0.75', '--resize', 'none', *COS]),
        ('(64, 128, 128), 24x24 for the first half: 10 epochs', ['--recipe', 'air', '--epochs', '10', '--widths', '24,64,128,128', '--bs', '512', '--lr', '0.75', '--resize', '24:0.5', *COS]),
    ],
    'schedule': [  # air_cifar_learner's defaults (64, 192, 192; batch 512; 24x24 for the first half), 12 epochs: the schedule and the flip
        ('half cosines to lr/5000, a coin flip per image (the default before)', [*E12, *COS]),
        ('(the same, seed 1)', [*E12, *COS, '--seed', '1']),
        ('(the same, seed 2)', [*E12, *COS, '--seed', '2']),
        ('(the same, seed 3)', [*E12, *COS, '--seed', '3']),
        ("airbench's triangle, 0.2 -> 1 -> 0.07", [*E12, '--schedule', 'triangle', '--flip', 'random']),
        ('(the same, seed 1)', [*E12, '--schedule', 'triangle', '--flip', 'random', '--seed', '1']),
        ('(the same, seed 2)', [*E12, '--schedule', 'triangle', '--flip', 'random', '--seed', '2']),
        ('(the same, seed 3)', [*E12, '--schedule', 'triangle', '--flip', 'random', '--seed', '3']),
        ("airbench's alternating flip", [*E12, '--schedule', 'cos', '--flip', 'alternate']),
        ('(the same, seed 1)', [*E12, '--schedule', 'cos', '--flip', 'alternate', '--seed', '1']),
        ('(the same, seed 2)', [*E12, '--schedule', 'cos', '--flip', 'alternate', '--seed', '2']),
        ('both', [*E12, '--schedule', 'triangle', '--flip', 'alternate']),
        ('(both, seed 1)', [*E12, '--schedule', 'triangle', '--flip', 'alternate', '--seed', '1']),
        ('(both, seed 2)', [*E12, '--schedule', 'triangle', '--flip', 'alternate', '--seed', '2']),
        ('the triangle, 11 epochs', [*E12, '--schedule', 'triangle', '--flip', 'random', '--epochs', '11']),
        ('both, 11 epochs', [*E12, '--schedule', 'triangle', '--flip', 'alternate', '--epochs', '11']),
        ('the default before, 15 epochs', [*E12, *COS, '--epochs', '15']),
        ('batch 1,024, lr 1.5', [*E12, *COS, '--bs', '1024', '--lr', '1.5']),
        ("airbench94 itself (64, 256, 256; batch 1,024; full size; both), 10 epochs",
         ['--recipe', 'air', '--epochs', '10', '--widths', '24,64,256,256', '--bs', '1024', '--lr', '1.5', '--resize', 'none', '--schedule', 'triangle', '--flip', 'alternate']),
    ],
    'fastnet': [  # FastNet by time (issue 6), flip-only TTA
        ('`FastNet`, batch 512, lr 0.2, full size throughout', ['--recipe', 'fastnet', '--tta_flip_only', '--bs', '512', '--lr', '0.2', '--resize', 'none', *COS]),
        ('batch 128, lr 0.1', ['--recipe', 'fastnet', '--tta_flip_only', '--bs', '128', '--lr', '0.1', '--resize', 'none', *COS]),
        ('(batch 64, lr 0.05 instead)', ['--recipe', 'fastnet', '--tta_flip_only', '--bs', '64', '--lr', '0.05', '--resize', 'none', *COS]),
        ('batch 128, and 24x24 for the first half (the recipe)', ['--recipe', 'fastnet', '--tta_flip_only', '--bs', '128', '--lr', '0.1', '--resize', '24:0.5', *COS]),
        ('(24x24 for the first 70%)', ['--recipe', 'fastnet', '--tta_flip_only', '--bs', '128', '--lr', '0.1', '--resize', '24:0.7']),
        ('(16x16 to 25%, then 24x24 to 60%)', ['--recipe', 'fastnet', '--tta_flip_only', '--bs', '128', '--lr', '0.1', '--resize', '16:0.25,24:0.6']),
    ],
}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--table', default='air', choices=list(TABLES))
    ap.add_argument('--budget', type=float, default=240., help='seconds of training a row (fastnet table)'); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--device', default='cpu'); ap.add_argument('--rows', default=None, help='comma-separated row numbers to run (default all)')
    a = ap.parse_args()
    bench, rows = Path(__file__).with_name('cifar10.py'), TABLES[a.table]
    picked = [int(i) for i in a.rows.split(',')] if a.rows else range(len(rows))
    results = []
    for i in picked:
        name, flags = rows[i]
        cmd = [sys.executable, str(bench), '--budget', str(a.budget), '--threads', str(a.threads), '--device', a.device, *flags]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        res = json.loads(next(l for l in out.splitlines() if l.startswith('{')))
        res['row'] = name; results.append(res); print(json.dumps(res), flush=True)
    print(f"\n{results[0]['cpu']}, device {a.device}, {a.threads} threads" + (f', {a.budget:.0f} s of training each' if a.table == 'fastnet' else '') + '\n')
    print('| change | epochs | test | with TTA |\n|---|---|---|---|')
    for r in results: print(f"| {r['row']} | {r['epochs']} | {r['test_acc']:.2%} | {r['tta_acc']:.2%} |")

if __name__ == '__main__': main()
