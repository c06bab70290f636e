"""The ablation table of nbs/11_fast_cifar ("What each change bought"), reproduced: the CIFAR recipe with one change at a
time, each trained for the same budget by `bench/cifar10.py`, evaluated with the flip-only TTA.

    FASTLESSONS_DATA=../shared/data python bench/cifar10_ablation.py [--budget 240] [--threads 2]

Runs one configuration after another (each a `bench/cifar10.py` process, alone on the machine) and prints each JSON
line as it comes, then the table in Markdown. Six runs of 4 minutes take about half an hour with their evaluations.
"""
import argparse, json, subprocess, sys
from pathlib import Path

ROWS = [  # (what the row shows, bench/cifar10.py flags)
    ('`FastNet`, batch 512, lr 0.2, full size throughout', ['--bs', '512', '--lr', '0.2', '--resize', 'none']),
    ('batch 128, lr 0.1', ['--bs', '128', '--lr', '0.1', '--resize', 'none']),
    ('(batch 64, lr 0.05 instead)', ['--bs', '64', '--lr', '0.05', '--resize', 'none']),
    ('batch 128, and 24x24 for the first half (the recipe)', ['--bs', '128', '--lr', '0.1', '--resize', '24:0.5']),
    ('(24x24 for the first 70%)', ['--bs', '128', '--lr', '0.1', '--resize', '24:0.7']),
    ('(16x16 to 25%, then 24x24 to 60%)', ['--bs', '128', '--lr', '0.1', '--resize', '16:0.25,24:0.6']),
]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--budget', type=float, default=240.); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--rows', default=None, help='comma-separated row numbers to run (default all)')
    a = ap.parse_args()
    bench = Path(__file__).with_name('cifar10.py')
    picked = [int(i) for i in a.rows.split(',')] if a.rows else range(len(ROWS))
    results = []
    for i in picked:
        name, flags = ROWS[i]
        cmd = [sys.executable, str(bench), '--budget', str(a.budget), '--threads', str(a.threads), '--tta_shifts', '0', *flags]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        res = json.loads(next(l for l in out.splitlines() if l.startswith('{')))
        res['row'] = name; results.append(res); print(json.dumps(res), flush=True)
    print(f"\n{results[0]['cpu']}, {a.threads} threads, {a.budget:.0f} s of training each\n")
    print('| change (the rest as in the row above) | epochs | test | with flip |\n|---|---|---|---|')
    for r in results: print(f"| {r['row']} | {r['epochs']} | {r['test_acc']:.1%} | {r['tta_acc']:.1%} |")

if __name__ == '__main__': main()
