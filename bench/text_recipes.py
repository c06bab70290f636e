"""Does `text_learner`'s recipe choice hold on a text and budgets it was not set on?

For one text and one budget, this bench asks `text_learner(recipe='auto', budget=...)` which recipe it chooses (timing
each recipe's step on this CPU, `recipe_rates`), then trains every recipe for the same budget on the same split and
reports each one's validation loss: the choice is right when the recipe chosen is the best of the three, or within
`--tol` of it. The recipes' line (20 epochs of the AWD recipe's batches, `RECIPE_EPOCHS`) was set from Nietzsche
(nbs/beyond/13_awd_lstm); the default text here is another: the reference topics of Python's own documentation
that ship with every Python (`pydoc_data.topics`: prose, code, upper and lower case, about 100 distinct characters),
kept as written (not lower-cased).

    python bench/text_recipes.py --budget 180                       # the whole text (about 465,000 characters)
    python bench/text_recipes.py --budget 180 --chars 100000        # its first 100,000 characters: more epochs in the same time
    python bench/text_recipes.py --text my_book.txt --budget 300    # any UTF-8 text

Prints one JSON line per recipe trained (validation loss, epochs, characters a second), then one line with the
choice and whether it was right, then a table. Run it alone: a second busy process on a 2-core machine slows it
3-4x, and the choice depends on the speed measured.
"""
import argparse, contextlib, json, sys, time
import torch
from fastlessons.core import set_seed, setup_cpu, cpu_report
from fastlessons.text_learner import text_learner

def pydoc_topics() -> str:
    "The reference topics of Python's documentation, in a fixed order: a text that ships with Python."
    from pydoc_data.topics import topics
    return '\n\n'.join(topics[k].strip() for k in sorted(topics)) + '\n'

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--text', default='pydoc', help="a UTF-8 text file, or 'pydoc' (Python's reference topics)")
    ap.add_argument('--chars', type=int, default=None, help='keep only the first N characters (whole lines)')
    ap.add_argument('--budget', type=float, default=180.)
    ap.add_argument('--lower', type=int, default=0)
    ap.add_argument('--recipes', default='awd,awd_light,lesson')
    ap.add_argument('--threads', type=int, default=2); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--tol', type=float, default=0.01, help='a choice within this much of the best loss counts as right')
    a = ap.parse_args()
    setup_cpu(a.threads); set_seed(a.seed)
    report = cpu_report()
    text = pydoc_topics() if a.text == 'pydoc' else open(a.text, encoding='utf-8').read()
    if a.chars: text = text[:text.rfind('\n', 0, a.chars) + 1]
    name = ('pydoc_data.topics' if a.text == 'pydoc' else a.text) + (f', first {len(text):,} characters' if a.chars else '')
    kw = dict(lower=bool(a.lower), seed=a.seed, progress=False)
    t0 = time.perf_counter()
    auto = text_learner(text, recipe='auto', budget=a.budget, **kw)
    choice, probe_s = auto.recipe_choice, time.perf_counter() - t0
    del auto
    rows = []
    for r in a.recipes.split(','):
        set_seed(a.seed)
        learn = text_learner(text, recipe=r, budget=a.budget, **kw)
        with contextlib.redirect_stdout(sys.stderr): learn.fit_budget()
        n = len(learn.train_text)
        row = dict(bench='text_recipes', text=name, recipe=r, budget_s=a.budget, train_chars=n, valid_chars=len(learn.valid_text),
                   vocab=len(learn.vocab), bs=learn.dls.train.bs, bptt=learn.dls.train.bptt, precision=learn.mixed_precision or 'fp32',
                   train_seconds=round(learn.train_seconds, 1), epochs=round(learn.n_items/n, 2),
                   chars_per_second=round(learn.n_items/learn.train_seconds), val_loss=round(learn.recorder.values[-1][1], 4),
                   seed=a.seed, cpu=report['cpu'], cpu_flags=report['cpu_flags'], threads=torch.get_num_threads(), torch=torch.__version__)
        rows.append(row); print(json.dumps(row), flush=True)
    best = min(rows, key=lambda r: r['val_loss'])
    chosen = next((r for r in rows if r['recipe'] == choice['recipe']), None)
    right = chosen is not None and chosen['val_loss'] <= best['val_loss'] + a.tol
    print(json.dumps(dict(bench='text_recipes-choice', text=name, budget_s=a.budget, chosen=choice['recipe'], reason=choice['reason'],
                          rates=choice.get('rates'), predicted_epochs=choice['epochs'], probe_seconds=round(probe_s, 1), best=best['recipe'],
                          chosen_loss=chosen and chosen['val_loss'], best_loss=best['val_loss'], right=right, tol=a.tol, cpu=report['cpu'])))
    print(f"\n{name}, {a.budget:.0f} s; {report['cpu']}, {a.threads} threads\n\n| recipe | epochs | chars/s | validation loss | |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['recipe']} | {r['epochs']} | {r['chars_per_second']:,} | {r['val_loss']} | "
              f"{'chosen' if r['recipe'] == choice['recipe'] else ''}{' best' if r is best else ''} |")
    print(f"\nchoice: {choice['reason']} ({'right' if right else 'wrong'}: best {best['recipe']} {best['val_loss']})")

if __name__ == '__main__': main()
