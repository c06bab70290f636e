"""The table of nbs/13_awd_lstm ("What each piece bought"): the lesson's 2-layer LSTM and its AWD-regularised version,
trained by epochs (one cycle each), one `bench/charlm.py` run a row, printed as JSON lines as they come and then as a
Markdown table of validation losses.

    FASTLESSONS_DATA=../shared/data python bench/charlm_ablation.py --device cuda [--rows 0,3]

By epochs, so a row measures what the recipe reaches per pass over the text, on any device (a GPU does a row in under a
minute, a 2-core CPU in 15). In float32, as the rows were measured. How many epochs a CPU affords in 900 s is `bench/charlm.py`'s `epochs` field.
"""
import argparse, json, subprocess, sys
from pathlib import Path

LIGHT = ['--emb_p', '0.02', '--input_p', '0.05', '--hidden_p', '0.1', '--weight_p', '0.1', '--out_p', '0.1', '--ar', '1', '--tar', '1']
HEAVY = ['--emb_p', '0.05', '--input_p', '0.1', '--hidden_p', '0.2', '--weight_p', '0.2', '--out_p', '0.2', '--ar', '2', '--tar', '1']
MEDIUM = ['--emb_p', '0.05', '--input_p', '0.1', '--hidden_p', '0.15', '--weight_p', '0.15', '--out_p', '0.15', '--ar', '2', '--tar', '1']
ROWS = [  # (what the row shows, bench/charlm.py flags)
    ('lesson recipe (dropout 0.3), 8 epochs', ['--recipe', 'lesson', '--epochs', '8']),
    ('lesson recipe, 10 epochs', ['--recipe', 'lesson', '--epochs', '10']),
    ('lesson recipe, 12 epochs', ['--recipe', 'lesson', '--epochs', '12']),
    ('lesson recipe, 8 epochs, momentum cycled', ['--recipe', 'lesson', '--epochs', '8', '--moms', '0.95,0.85,0.95']),
    ('AWD, heavy dropouts (0.05/0.1/0.2/0.2/0.2, AR 2), 10 epochs', ['--epochs', '10', '--lr', '3e-3', *HEAVY]),
    ('AWD, medium dropouts (0.05/0.1/0.15/0.15/0.15, AR 2), 10 epochs', ['--epochs', '10', '--lr', '3e-3', *MEDIUM]),
    ('AWD, light dropouts (0.02/0.05/0.1/0.1/0.1, AR 1), 10 epochs', ['--epochs', '10', '--lr', '3e-3', *LIGHT]),
    ('AWD light, momentum cycled', ['--epochs', '10', '--lr', '3e-3', '--moms', '0.95,0.85,0.95', *LIGHT]),
    ('AWD light, bptt 32', ['--epochs', '10', '--lr', '3e-3', '--bptt', '32', *LIGHT]),
    ('AWD light, weight decay 0.1', ['--epochs', '10', '--lr', '3e-3', '--wd', '0.1', *LIGHT]),
    ('AWD light, lr 2e-3', ['--epochs', '10', '--lr', '2e-3', *LIGHT]),
    ('AWD light, lr 5e-3 (the recipe)', ['--epochs', '10', '--lr', '5e-3', *LIGHT]),
    ('AWD light, lr 3e-3, seed 1 (the noise)', ['--epochs', '10', '--lr', '3e-3', '--seed', '1', *LIGHT]),
]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--device', default='cpu'); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--rows', default=None, help='comma-separated row numbers to run (default all)')
    a = ap.parse_args()
    bench = Path(__file__).with_name('charlm.py')
    picked = [int(i) for i in a.rows.split(',')] if a.rows else range(len(ROWS))
    results = []
    for i in picked:
        name, flags = ROWS[i]
        out = subprocess.run([sys.executable, str(bench), '--device', a.device, '--threads', str(a.threads), '--precision', 'fp32', *flags],
                             capture_output=True, text=True, check=True).stdout
        res = json.loads(next(l for l in out.splitlines() if l.startswith('{')))
        res['row'] = name; results.append(res); print(json.dumps(res), flush=True)
    print(f"\n{results[0]['cpu']}, device {a.device}\n\n| recipe | epochs | val loss |\n|---|---|---|")
    for r in results: print(f"| {r['row']} | {r['epochs_asked']} | {r['val_loss']} |")

if __name__ == '__main__': main()
