"""Nietzsche character language model: the lesson's 2-layer LSTM (512 hidden) trained for a fixed CPU time budget.

Lower-cased text, the last 20% of lines as validation (as lesson 7). The learning rate follows one cosine
cycle over the *time* budget (warm-up, then anneal), so the run ends annealed whenever the budget is spent.
Prints a JSON line with the validation loss, the seconds trained and the characters per second, then a table.

    FASTLESSONS_DATA=../shared/data python bench/charlm.py [--budget 600] [--threads 2]

Target (issue 5): validation loss at most 1.30 within 10 minutes of 2-thread CPU training. The lesson reached
1.252 (lesson6-rnn.ipynb: 1.315 after 2 + 15 epochs, then 1.252 after a further SGDR run of 2**6-1 = 63 epochs, on a GPU).
"""
import argparse, contextlib, json, sys
import torch
from fastlessons.core import set_seed, setup_cpu, cpu_report
from fastlessons.distributed import rank, world_size
from fastlessons.data import get_data, read_text
from fastlessons.learner import Learner
from fastlessons.schedule import TimeBudget
from fastlessons.text import Vocab, split_lines, lm_dls
from fastlessons.rnn import CharSeqStatefulLSTM, ResetState, seq_loss, sample

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--budget', type=float, default=600.); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--bs', type=int, default=64); ap.add_argument('--bptt', type=int, default=16)
    ap.add_argument('--n_hidden', type=int, default=512); ap.add_argument('--dropout', type=float, default=0.3)
    ap.add_argument('--lr', type=float, default=3e-3); ap.add_argument('--wd', type=float, default=0.01)
    a = ap.parse_args()
    setup_cpu(a.threads); set_seed(0)
    text = read_text(get_data('nietzsche')).lower()
    vocab = Vocab(text); trn, val = split_lines(text)
    dls = lm_dls(vocab.encode(trn), vocab.encode(val), bs=a.bs, bptt=a.bptt)
    model = CharSeqStatefulLSTM(len(vocab), 42, a.n_hidden, nl=2, dropout=a.dropout, out_dropout=a.dropout)   # the measured recipe: both dropouts
    tb = TimeBudget(a.budget)
    learn = Learner(model, dls, seq_loss, torch.optim.AdamW, lr=a.lr, wd=a.wd, cbs=[ResetState(), tb], grad_clip=1.0, device='cpu')
    with contextlib.redirect_stdout(sys.stderr): learn.fit(1000)
    vals = [v[1] for v in learn.recorder.values]
    res = dict(bench='charlm', model=f'CharSeqStatefulLSTM 2x{a.n_hidden}, dropout {a.dropout} between layers and on the output', text='nietzsche, lower-cased',
               vocab=len(vocab), train_chars=len(trn), valid_chars=len(val), bs=a.bs, bptt=a.bptt, lr=a.lr, wd=a.wd,
               threads=a.threads, budget_s=a.budget, train_seconds=round(tb.used, 1), epochs=round(tb.n_items/(len(trn)//a.bs*a.bs), 2),
               chars_per_second=round(tb.n_items/tb.used), val_loss=round(vals[-1], 4), val_loss_per_epoch=[round(v, 4) for v in vals],
               lesson_val_loss=1.252, processes=world_size(), torch=torch.__version__, **cpu_report())
    if rank() != 0: return                    # under torchrun, rank 0 reports
    print(json.dumps(res))
    print(f"\n| model | train s | epochs | chars/s | val loss | lesson |\n|---|---|---|---|---|---|\n"
          f"| {res['model']} | {res['train_seconds']} | {res['epochs']} | {res['chars_per_second']:,} | {res['val_loss']} | 1.252 (63 more GPU epochs, lesson6-rnn.ipynb) |")
    print('\nsample (temperature 0.5):', repr(sample(model, vocab, 'for those who are ', 300, temperature=0.5, seed=0)))

if __name__ == '__main__': main()
