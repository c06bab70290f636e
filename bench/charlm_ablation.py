"""The table of nbs/beyond/13_awd_lstm ("What each piece bought"): the lesson's 2-layer LSTM and its AWD-regularised version,
trained by epochs (one cycle each), one `bench/charlm.py` run a row, printed as JSON lines as they come and then as a
Markdown table of validation losses.

    FASTLESSONS_DATA=../shared/data python bench/charlm_ablation.py --device cuda [--rows 0,3]
    FASTLESSONS_DATA=../shared/data python bench/charlm_ablation.py --device cuda --table batch   # the bs 128 rows

By epochs, so a row measures what the recipe reaches per pass over the text, on any device (a GPU does a row in under a
minute, a 2-core CPU in 15). The first table (`--table pieces`, batches of 64 streams of 16 characters) in float32, as
its rows were measured; the second (`--table batch`: batches of 128 streams of 32 characters, tried on 2026-11-30;
the recipe then took 128 x 64 on the CPU) in the precision `'auto'` picks (bf16 on a GPU), as its rows were measured. 28 epochs is what the CPU of
these pages runs in 900 s at that batch (`bench/charlm.py`'s `epochs` field).
"""
import argparse, json, subprocess, sys
from pathlib import Path

LIGHT = ['--emb_p', '0.02', '--input_p', '0.05', '--hidden_p', '0.1', '--weight_p', '0.1', '--out_p', '0.1', '--ar', '1', '--tar', '1']
HEAVY = ['--emb_p', '0.05', '--input_p', '0.1', '--hidden_p', '0.2', '--weight_p', '0.2', '--out_p', '0.2', '--ar', '2', '--tar', '1']
MEDIUM = ['--emb_p', '0.05', '--input_p', '0.1', '--hidden_p', '0.15', '--weight_p', '0.15', '--out_p', '0.15', '--ar', '2', '--tar', '1']
B64 = ['--bs', '64', '--bptt', '16']      # the batches of the first table (the recipe's default before 2026-11-30)
ROWS = [  # (what the row shows, bench/charlm.py flags)
    ('lesson recipe (dropout 0.3), 8 epochs', ['--recipe', 'lesson', '--epochs', '8']),
    ('lesson recipe, 10 epochs', ['--recipe', 'lesson', '--epochs', '10']),
    ('lesson recipe, 12 epochs', ['--recipe', 'lesson', '--epochs', '12']),
    ('lesson recipe, 8 epochs, momentum cycled', ['--recipe', 'lesson', '--epochs', '8', '--moms', '0.95,0.85,0.95']),
    ('AWD, heavy dropouts (0.05/0.1/0.2/0.2/0.2, AR 2), 10 epochs', [*B64, '--epochs', '10', '--lr', '3e-3', *HEAVY]),
    ('AWD, medium dropouts (0.05/0.1/0.15/0.15/0.15, AR 2), 10 epochs', [*B64, '--epochs', '10', '--lr', '3e-3', *MEDIUM]),
    ('AWD, light dropouts (0.02/0.05/0.1/0.1/0.1, AR 1), 10 epochs', [*B64, '--epochs', '10', '--lr', '3e-3', *LIGHT]),
    ('AWD light, momentum cycled', [*B64, '--epochs', '10', '--lr', '3e-3', '--moms', '0.95,0.85,0.95', *LIGHT]),
    ('AWD light, bptt 32', [*B64, '--epochs', '10', '--lr', '3e-3', '--bptt', '32', *LIGHT]),   # the later --bptt wins
    ('AWD light, weight decay 0.1', [*B64, '--epochs', '10', '--lr', '3e-3', '--wd', '0.1', *LIGHT]),
    ('AWD light, lr 2e-3', [*B64, '--epochs', '10', '--lr', '2e-3', *LIGHT]),
    ('AWD light, lr 5e-3 (the recipe then)', [*B64, '--epochs', '10', '--lr', '5e-3', *LIGHT]),
    ('AWD light, lr 3e-3, seed 1 (the noise)', [*B64, '--epochs', '10', '--lr', '3e-3', '--seed', '1', *LIGHT]),
]
E28 = ['--epochs', '28', '--bs', '128', '--bptt', '32']
W3 = ['--emb_p', '0.02', '--input_p', '0.1', '--weight_p', '0.3', '--hidden_p', '0.2', '--out_p', '0.1']
W4 = ['--emb_p', '0.02', '--input_p', '0.1', '--weight_p', '0.4', '--hidden_p', '0.25', '--out_p', '0.2']
PREV = ['--emb_p', '0.02', '--input_p', '0.1', '--hidden_p', '0.15', '--weight_p', '0.2', '--out_p', '0.1']   # the default before
BATCH_ROWS = [
    ('previous default (bs 64, bptt 16, lr 5e-3), 17 epochs', ['--epochs', '17', *B64, '--lr', '5e-3', *PREV]),
    ('the same, 25 epochs', ['--epochs', '25', *B64, '--lr', '5e-3', *PREV]),
    ('previous dropouts, bs 128, bptt 32, lr 1e-2, 28 epochs', [*E28, '--lr', '1e-2', *PREV]),
    ('weight 0.3, hidden 0.2, lr 1e-2', [*E28, '--lr', '1e-2', *W3]),
    ('the same, seed 1', [*E28, '--lr', '1e-2', *W3, '--seed', '1']),
    ('the same, 24 epochs', [*E28, '--lr', '1e-2', *W3, '--epochs', '24']),
    ('the same, lr 1.5e-2', [*E28, '--lr', '1.5e-2', *W3]),
    ('the same, weight decay 0.1', [*E28, '--lr', '1e-2', *W3, '--wd', '0.1']),
    ('the same, AR 2', [*E28, '--lr', '1e-2', *W3, '--ar', '2']),
    ('the same, bptt 64', [*E28, '--lr', '1e-2', *W3, '--bptt', '64']),
    ('the same, bptt 64, lr 1.5e-2, 32 epochs', [*E28, '--lr', '1.5e-2', *W3, '--bptt', '64', '--epochs', '32']),
    ('the same, bs 256, lr 1.5e-2, 36 epochs', [*E28, '--lr', '1.5e-2', *W3, '--bs', '256', '--epochs', '36']),
    ('weight 0.4, hidden 0.25, out 0.2, lr 1.5e-2', [*E28, '--lr', '1.5e-2', *W4]),
    ('the same, seed 1', [*E28, '--lr', '1.5e-2', *W4, '--seed', '1']),
    ('the same, 26 epochs', [*E28, '--lr', '1.5e-2', *W4, '--epochs', '26']),
    ('weight 0.5, hidden 0.3, out 0.2, input 0.15, lr 1e-2, seed 1', [*E28, '--lr', '1e-2', '--weight_p', '0.5', '--hidden_p', '0.3', '--out_p', '0.2', '--input_p', '0.15', '--seed', '1']),
    ('weight 0.35, hidden 0.2, out 0.15 (AWD_DROPOUTS now), lr 1.5e-2', [*E28, '--lr', '1.5e-2']),
    ('the same, seed 1', [*E28, '--lr', '1.5e-2', '--seed', '1']),
]
TABLES = {'pieces': (ROWS, ['--precision', 'fp32']), 'batch': (BATCH_ROWS, ['--precision', 'auto'])}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--device', default='cpu'); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--rows', default=None, help='comma-separated row numbers to run (default all)')
    ap.add_argument('--table', default='pieces', choices=list(TABLES), help="'pieces': 13's first table; 'batch': its bs 128 table")
    a = ap.parse_args()
    rows, prec = TABLES[a.table]
    bench = Path(__file__).with_name('charlm.py')
    picked = [int(i) for i in a.rows.split(',')] if a.rows else range(len(rows))
    results = []
    for i in picked:
        name, flags = rows[i]
        out = subprocess.run([sys.executable, str(bench), '--device', a.device, '--threads', str(a.threads), *prec, *flags],
                             capture_output=True, text=True, check=True).stdout
        res = json.loads(next(l for l in out.splitlines() if l.startswith('{')))
        res['row'] = name; results.append(res); print(json.dumps(res), flush=True)
    print(f"\n{results[0]['cpu']}, device {a.device}\n\n| recipe | epochs | val loss |\n|---|---|---|")
    for r in results: print(f"| {r['row']} | {r['epochs_asked']} | {r['val_loss']} |")

if __name__ == '__main__': main()
